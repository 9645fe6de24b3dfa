import TensorEngine

/// Keras's `TimeDistributed`: applies `layer` to every time step of inputs shaped `(batch, time, …)`, with the same
/// weights for every step (saved at `layer/vars`). The steps are stacked into the batch axis, so a Dense layer makes
/// one matrix product for all steps; a BatchNormalization in training is run step by step, as Keras does, since its
/// batch statistics are per step. A mask passes through unchanged.
public final class TimeDistributed: Layer {
    /// The layer applied at every step.
    public let layer: Layer

    /// Applies `layer` at every time step.
    public init(_ layer: Layer, name: String? = nil) {
        self.layer = layer
        if layer.name.isEmpty { layer.name = snakeCase(type(of: layer).kerasClassName) }
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        guard let layer = config.nestedLayer("layer") else {
            try config.finish()
            throw ConfigError("\(config.context): no layer to distribute")
        }
        self.layer = layer
        try super.init(from: config)
    }

    public override var sublayers: [(name: String, layer: Layer)] { [("layer", layer)] }
    public override var supportsMasking: Bool { true }

    private func stepShape(_ inputShape: [Int]) throws -> [Int] {
        guard inputShape.count >= 2 else {
            throw ShapeError("\(displayName) needs inputs of shape (batch, time, …) with at least 3 axes, got \(Shape.describeBatched(inputShape))")
        }
        return Array(inputShape.dropFirst())
    }

    public override func build(inputShape: [Int]) throws {
        try layer.buildIfNeeded(inputShape: try stepShape(inputShape))
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        [inputShape[0]] + (try layer.outputShape(forInputShape: try stepShape(inputShape)))
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let (batch, time) = (inputs.shape[0], inputs.shape[1])
        let step = Array(inputs.shape.dropFirst(2))
        if training && layer is BatchNormalization {
            let steps = try (0..<time).map { t in
                let out = try layer(inputs.slice(alongAxis: 1, from: t, count: 1).reshaped(to: [batch] + step), training: true)
                return out.reshaped(to: [batch, 1] + Array(out.shape.dropFirst()))
            }
            return Tensor.concatenate(steps, alongAxis: 1)
        }
        let out = try layer(inputs.reshaped(to: [batch * time] + step), training: training)
        return out.reshaped(to: [batch, time] + Array(out.shape.dropFirst()))
    }

    public override func config() -> JSONObject { ["layer": layer.serializedEntry()] }
}
