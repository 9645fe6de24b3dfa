import TensorEngine

/// Keras's `Rescaling`: `inputs · scale + offset` (scalars, as Keras writes them for the usual `1/255`).
public final class Rescaling: Layer {
    public let scale: Double
    public let offset: Double

    /// A rescaling by `scale`, then a shift by `offset`.
    public init(scale: Double, offset: Double = 0, name: String? = nil) {
        self.scale = scale
        self.offset = offset
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        scale = config.require("scale")
        offset = config.value("offset", default: 0)
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        inputs * Float(scale) + Float(offset)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }

    public override func config() -> JSONObject { ["scale": .double(scale), "offset": .double(offset)] }
}
