import TensorEngine

/// Keras's `Embedding`: integer ids (any shape, given as whole-number floats) → rows of the `(input_dim,
/// output_dim)` matrix `embeddings`. An id outside `0..<input_dim` is an error, never a crash.
public final class Embedding: Layer {
    /// The number of ids (rows of the table).
    public let inputDim: Int
    /// The length of each embedding vector.
    public let outputDim: Int
    /// Whether id 0 is padding: the output's mask is 0 where the id is 0 (Keras's `mask_zero`).
    public let maskZero: Bool
    /// The `(input_dim, output_dim)` table, once built.
    public private(set) var embeddings: Variable?

    public override class var configuredWeights: [ConfiguredWeight] {
        [.init("embeddings", .randomUniform(minval: -0.05, maxval: 0.05, seed: nil))]
    }
    /// Keras keys for options this package does not implement: written as null, refused when set.
    private static let unsupportedKeys = ["quantization_config"]

    /// A table of `inputDim` vectors of `outputDim` values.
    public init(inputDim: Int, outputDim: Int, embeddingsInitializer: Initializer = .randomUniform(minval: -0.05, maxval: 0.05, seed: nil),
                embeddingsRegularizer: Regularizer? = nil, embeddingsConstraint: Constraint? = nil, maskZero: Bool = false,
                name: String? = nil) {
        self.maskZero = maskZero
        self.inputDim = inputDim
        self.outputDim = outputDim
        super.init(name: name)
        weightOptions = ["embeddings": WeightOptions(embeddingsInitializer, regularizer: embeddingsRegularizer, constraint: embeddingsConstraint)]
    }

    public required init(from config: ConfigReader) throws {
        inputDim = config.require("input_dim")
        outputDim = config.require("output_dim")
        if inputDim <= 0 || outputDim <= 0 { config.report("input_dim and output_dim must be positive, found \(inputDim) and \(outputDim)") }
        maskZero = config.value("mask_zero", default: false)
        config.refuseSetKeys(Self.unsupportedKeys)
        if config.object["lora_rank"].map({ $0 != .null }) == true { config.report("LoRA ('lora_rank') is not supported") }
        try super.init(from: config)
    }

    public override func build(inputShape: [Int]) throws {
        embeddings = try addWeight(name: "embeddings", shape: [inputDim, outputDim], options: options(for: "embeddings"))
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard let embeddings else { throw ShapeError("\(displayName) was called before it was built") }
        var ids = [Int](repeating: 0, count: inputs.count)
        for (i, value) in inputs.scalars.enumerated() {
            guard let id = Int(exactly: value), id >= 0, id < inputDim else {
                throw ShapeError("\(displayName): input \(value) at flat index \(i) is not an id in 0..<\(inputDim)")
            }
            ids[i] = id
        }
        return Tensor.gatherRows(of: embeddings.value, indices: ids, outerShape: inputs.shape)
    }

    public override var supportsMasking: Bool { maskZero }

    /// With `mask_zero`: 1 where the id is not 0.
    public override func computeMask(_ inputs: Tensor, previousMask: Tensor?) throws -> Tensor? {
        maskZero ? inputs.notEqual(0) : nil
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let out = inputShape + [outputDim]
        _ = try Shape.checkedElementCount(out, "\(displayName) output")
        return out
    }

    public override func config() -> JSONObject {
        var c = JSONObject()
        c["input_dim"] = .int(inputDim)
        c["output_dim"] = .int(outputDim)
        c.appendWeightOptions(Self.configuredWeights, weightOptions, activityRegularizer: .some(activityRegularizer))
        c["mask_zero"] = .bool(maskZero)
        c.setNull(Self.unsupportedKeys)
        return c
    }
}
