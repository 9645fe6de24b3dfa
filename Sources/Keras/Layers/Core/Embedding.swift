import TensorEngine

/// Keras's `Embedding`: integer ids (any shape, given as whole-number floats) → rows of the `(input_dim,
/// output_dim)` matrix `embeddings`. An id outside `0..<input_dim` is an error, never a crash.
public final class Embedding: Layer {
    /// The number of ids (rows of the table).
    public let inputDim: Int
    /// The length of each embedding vector.
    public let outputDim: Int
    /// How the table starts (Keras's `uniform`: ±0.05 by default).
    public let embeddingsInitializer: Initializer
    /// Whether id 0 is padding: the output's mask is 0 where the id is 0 (Keras's `mask_zero`).
    public let maskZero: Bool
    /// The `(input_dim, output_dim)` table, once built.
    public private(set) var embeddings: Variable?

    /// A table of `inputDim` vectors of `outputDim` values.
    public init(inputDim: Int, outputDim: Int, embeddingsInitializer: Initializer = .randomUniform(minval: -0.05, maxval: 0.05, seed: nil),
                maskZero: Bool = false, name: String? = nil) {
        self.maskZero = maskZero
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.embeddingsInitializer = embeddingsInitializer
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        inputDim = config.require("input_dim")
        outputDim = config.require("output_dim")
        if inputDim <= 0 || outputDim <= 0 { config.report("input_dim and output_dim must be positive, found \(inputDim) and \(outputDim)") }
        embeddingsInitializer = config.value("embeddings_initializer", default: .randomUniform(minval: -0.05, maxval: 0.05, seed: nil))
        maskZero = config.value("mask_zero", default: false)
        config.refuseSetKeys(["embeddings_regularizer", "activity_regularizer", "embeddings_constraint", "quantization_config"])
        if config.object["lora_rank"].map({ $0 != .null }) == true { config.report("LoRA ('lora_rank') is not supported") }
        try super.init(from: config)
    }

    public override func build(inputShape: [Int]) throws {
        embeddings = try addWeight(name: "embeddings", shape: [inputDim, outputDim], initializer: embeddingsInitializer)
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
        c["embeddings_initializer"] = embeddingsInitializer.serialized
        c["embeddings_regularizer"] = .null
        c["activity_regularizer"] = .null
        c["embeddings_constraint"] = .null
        c["mask_zero"] = .bool(maskZero)
        c["quantization_config"] = .null
        return c
    }
}
