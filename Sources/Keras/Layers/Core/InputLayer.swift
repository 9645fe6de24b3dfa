import TensorEngine

/// Keras's `InputLayer`: declares the model's input shape. Config: `batch_shape` (Keras 3) or
/// `batch_input_shape` (Keras 2), `dtype`, `sparse`, `ragged`, `name`, `optional`.
public final class InputLayer: Layer {
    /// The per-sample input shape.
    public let shape: [Int]

    /// An input of per-sample `shape` (Keras's `Input(shape=…)`).
    public init(shape: [Int], name: String? = nil) {
        self.shape = shape
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        let batchShape = config.optional("batch_shape", as: ConfigShape.self)
            ?? config.optional("batch_input_shape", as: ConfigShape.self)
        var shape: [Int] = [1]
        if let batchShape {
            do { shape = try batchShape.sampleShape() } catch { config.report("batch_shape: \(error.message)") }
        } else {
            config.report("config key 'batch_shape' is missing (expected a shape such as [null, 784])")
        }
        if config.value("sparse", default: false) { config.report("sparse inputs are not supported") }
        if config.value("ragged", default: false) { config.report("ragged inputs are not supported") }
        self.shape = shape
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor { inputs }

    public override class var hasBuildConfig: Bool { false }

    /// Keras writes InputLayer's config without `trainable` or a dtype policy: `batch_shape`, `dtype`, `sparse`,
    /// `ragged`, `name`, `optional`.
    public override func serializedConfig() -> JSONObject {
        if var loaded = loadedConfig { loaded["name"] = .string(name); return loaded }
        return ["batch_shape": Layer.batchShapeJSON(shape), "dtype": .string("float32"), "sparse": .bool(false),
                "ragged": .bool(false), "name": .string(name), "optional": .bool(false)]
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }
}

/// `Input(shape: [784])`: the first entry of a Swift-built `Sequential`, as in Keras.
public func Input(shape: [Int], name: String? = nil) -> InputLayer {
    InputLayer(shape: shape, name: name)
}
