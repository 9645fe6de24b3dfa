import TensorEngine

/// The seed's custom layer, the 2023 Keras example "Antirectifier", written as a Keras user would write it.
///
/// ```python
/// def call(self, inputs):
///     inputs -= ops.mean(inputs, axis=-1, keepdims=True)
///     pos = ops.relu(inputs)
///     neg = ops.relu(-inputs)
///     concatenated = ops.concatenate([pos, neg], axis=-1)
///     return ops.matmul(concatenated, self.kernel)
/// ```
public final class Antirectifier: Layer {
    /// Draws the `(2n, n)` kernel; saved by `get_config` as `initializer`.
    public let initializer: Initializer
    /// The `(2n, n)` kernel, once built.
    public private(set) var kernel: Variable?

    /// An antirectifier whose kernel comes from `initializer` (`he_normal` by default, as in the example).
    public init(initializer: Initializer = .heNormal, name: String? = nil) {
        self.initializer = initializer
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        initializer = config.value("initializer", default: .heNormal)
        try super.init(from: config)
    }

    public override func build(inputShape: [Int]) throws {
        let outputDim = inputShape.last ?? 0
        kernel = try addWeight(name: "kernel", shape: [outputDim * 2, outputDim], initializer: initializer)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw ShapeError("\(displayName) was called before it was built") }
        let centred = inputs - inputs.mean(alongAxis: -1, keepingDims: true)
        let pos = centred.relu()
        let neg = (-centred).relu()
        let concatenated = Tensor.concatenate([pos, neg], alongAxis: -1)
        return concatenated.matmul(kernel.value)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }

    public override class var kerasModule: String? { nil }
    public override class var registeredName: String? { "Antirectifier" }

    public override func config() -> JSONObject {
        var c = JSONObject()
        c["initializer"] = initializer.serialized
        return c
    }
}
