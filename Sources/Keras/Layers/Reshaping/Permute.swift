import TensorEngine

/// Keras's `Permute`: reorders the per-sample axes by `dims` (1-based, the batch axis stays first).
public final class Permute: Layer {
    /// The new order of the per-sample axes, numbered from 1.
    public let dims: [Int]

    /// A permutation of the per-sample axes, numbered from 1.
    public init(_ dims: [Int], name: String? = nil) {
        self.dims = dims
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        dims = config.require("dims")
        if dims.sorted() != Array(1...max(1, dims.count)) { config.report("'dims' must be a permutation of 1…\(dims.count), found \(dims)") }
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        _ = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        return inputs.transposed([0] + dims)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == dims.count, dims.sorted() == Array(1...max(1, dims.count)) else {
            throw ShapeError("\(displayName): dims \(dims) do not permute inputs of shape \(Shape.describeBatched(inputShape))")
        }
        return dims.map { inputShape[$0 - 1] }
    }

    public override func config() -> JSONObject { ["dims": .array(dims.map { .int($0) })] }
}

/// Keras's `RepeatVector`: `[features]` → `[n, features]`, the vector repeated `n` times.
public final class RepeatVector: Layer {
    /// How many times each vector is repeated.
    public let n: Int

    /// Repeats each sample's vector `n` times.
    public init(_ n: Int, name: String? = nil) {
        self.n = n
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        n = config.require("n")
        if n < 1 { config.report("n must be positive, found \(n)") }
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let out = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        return inputs.reshaped(to: [inputs.shape[0], 1, out[1]]).broadcast(to: [inputs.shape[0]] + out)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 1 else {
            throw ShapeError("\(displayName) expects inputs of shape (None, features), got \(Shape.describeBatched(inputShape))")
        }
        let out = [n, inputShape[0]]
        _ = try Shape.checkedElementCount(out, "\(displayName) output")
        return out
    }

    public override func config() -> JSONObject { ["n": .int(n)] }
}
