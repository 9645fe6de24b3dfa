import TensorEngine

/// Keras's `ActivityRegularization`: passes its input through unchanged and adds `L1L2(l1, l2)` of it, divided by
/// the batch size, to the training loss.
public final class ActivityRegularization: Layer {
    /// The L1 factor.
    public let l1: Double
    /// The L2 factor.
    public let l2: Double

    public override class var hasBuildConfig: Bool { false }

    /// A layer adding `l1 · Σ|x| + l2 · Σx²` (per sample) to the loss.
    public init(l1: Double = 0, l2: Double = 0, name: String? = nil) {
        self.l1 = l1
        self.l2 = l2
        super.init(name: name)
        activityRegularizer = .l1l2(l1: Float(l1), l2: Float(l2))
    }

    public required init(from config: ConfigReader) throws {
        l1 = config.value("l1", default: 0.0)
        l2 = config.value("l2", default: 0.0)
        if !(l1 >= 0 && l2 >= 0) { config.report("l1 and l2 must be non-negative, found \(l1) and \(l2)") }
        try super.init(from: config)
        activityRegularizer = .l1l2(l1: Float(l1), l2: Float(l2))
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor { inputs }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }

    public override func serializedConfig() -> JSONObject {
        var c = defaultSerializedConfig()
        c.removeValue(forKey: "activity_regularizer")
        return c
    }

    public override func config() -> JSONObject { ["l1": .double(l1), "l2": .double(l2)] }
}
