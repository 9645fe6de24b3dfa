import TensorEngine

/// Keras's `Flatten`: reshapes each sample to one axis.
public final class Flatten: Layer {
    /// A flatten layer.
    public override init(name: String? = nil, trainable: Bool = true) { super.init(name: name, trainable: trainable) }

    public required init(from config: ConfigReader) throws {
        let format = config.value("data_format", default: "channels_last")
        if format != "channels_last" { config.report("data_format '\(format)' is not supported (only channels_last)") }
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        inputs.reshaped(to: [inputs.shape.first ?? 1, inputs.shape.dropFirst().elementCount])
    }

    public override func config() -> JSONObject { ["data_format": .string("channels_last")] }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        [try Shape.checkedElementCount(inputShape, "\(displayName) input")]
    }
}
