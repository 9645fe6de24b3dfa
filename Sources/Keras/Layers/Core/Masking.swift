import TensorEngine

/// Keras's `Masking`: masks every time step whose features all equal `mask_value` (the mask is 1 where any feature
/// differs), and zeroes those steps in its output. Layers downstream that support masks skip them.
public final class Masking: Layer {
    /// Time steps whose features all equal this are masked (skipped downstream).
    public let maskValue: Float

    /// A masking layer for steps whose features all equal `maskValue`.
    public init(maskValue: Float = 0, name: String? = nil) {
        self.maskValue = maskValue
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        maskValue = config.value("mask_value", default: Float(0))
        try super.init(from: config)
    }

    public override var supportsMasking: Bool { true }

    /// 1 for the steps to keep, with the last axis kept (size 1).
    private func keep(_ inputs: Tensor) -> Tensor { inputs.notEqual(maskValue).max(alongAxis: -1, keepingDims: true) }

    public override func computeMask(_ inputs: Tensor, previousMask: Tensor?) throws -> Tensor? {
        keep(inputs).reshaped(to: Array(inputs.shape.dropLast()))
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor { inputs * keep(inputs) }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }

    public override class var hasBuildConfig: Bool { false }

    public override func config() -> JSONObject { ["mask_value": .double(Double(maskValue))] }
}
