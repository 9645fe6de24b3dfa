import TensorEngine

/// Keras's `Activation` layer: applies a named activation.
public final class Activation: Layer {
    /// The function applied elementwise.
    public let activation: ActivationFunction

    /// Passes a mask on unchanged, as Keras's does (`supports_masking`).
    public override var supportsMasking: Bool { true }

    /// A layer applying `activation`.
    public init(_ activation: ActivationFunction, name: String? = nil) {
        self.activation = activation
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        activation = config.require("activation")
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor { activation(inputs) }

    public override func config() -> JSONObject { ["activation": .string(activation.rawValue)] }

    public override class var hasBuildConfig: Bool { false }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }
}
