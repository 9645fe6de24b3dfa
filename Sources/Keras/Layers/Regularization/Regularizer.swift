import TensorEngine

/// Keras's weight and activity regularizers (keras/src/regularizers): a penalty computed from a tensor and added to
/// the training loss.
///
/// ```swift
/// Dense(64, kernelRegularizer: .l2(1e-3))
/// ```
public enum Regularizer: Sendable, Equatable {
    /// `L1(l1)`: `l1 · Σ|x|`.
    case l1(Float)
    /// `L2(l2)`: `l2 · Σx²`.
    case l2(Float)
    /// `L1L2(l1, l2)`: each term only when its factor is not zero.
    case l1l2(l1: Float, l2: Float)
    /// `OrthogonalRegularizer(factor, mode)`: `factor · ½ · Σ|off-diagonal products of the L2-normalized rows (or
    /// columns)| / number of pairs`, for rank-2 weights.
    case orthogonal(factor: Float, mode: OrthogonalMode)

    /// Which vectors `OrthogonalRegularizer` pushes to be orthogonal.
    public enum OrthogonalMode: String, Sendable {
        /// The rows of the kernel (Keras's `mode="rows"`).
        case rows
        /// The columns of the kernel (Keras's `mode="columns"`).
        case columns
    }

    /// The penalty for `x` (a scalar, differentiable).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .l1(let l1): return x.abs().sum() * l1
        case .l2(let l2): return x.squared().sum() * l2
        case .l1l2(let l1, let l2):
            var penalty = Tensor(0)
            if l1 != 0 { penalty = penalty + x.abs().sum() * l1 }
            if l2 != 0 { penalty = penalty + x.squared().sum() * l2 }
            return penalty
        case .orthogonal(let factor, let mode):
            return Self.orthogonalPenalty(x, factor: factor, mode: mode)
        }
    }

    /// Keras's `OrthogonalRegularizer.__call__`, with `normalize` as `x · min(rsqrt(Σx²), 1/ε)`.
    private static func orthogonalPenalty(_ x: Tensor, factor: Float, mode: OrthogonalMode) -> Tensor {
        let rows = mode == .rows
        let inverseNorm = Tensor.minimum(Tensor(1) / x.squared().sum(alongAxis: rows ? 1 : 0, keepingDims: true).sqrt(),
                                         Tensor(1 / Loss.epsilon))
        let unit = x * inverseNorm
        let product = rows ? Tensor.matmul(unit, unit, transposeB: true) : Tensor.matmul(unit, unit, transposeA: true)
        let size = product.shape[0]
        var offDiagonal = [Float](repeating: 1, count: size * size)
        for i in 0..<size { offDiagonal[i * size + i] = 0 }
        let pairs = Float(size) * (Float(size) - 1) / 2
        return (product * Tensor(shape: [size, size], scalars: offDiagonal)).abs().sum() * (factor * 0.5) / pairs
    }

    /// Checks what the penalty needs of a weight's shape (OrthogonalRegularizer takes rank-2 weights only).
    func check(shape: [Int], _ what: String) throws {
        if case .orthogonal = self, shape.count != 2 {
            throw ShapeError("\(what): OrthogonalRegularizer needs a weight of rank 2, got shape \(shape)")
        }
    }
}

extension Regularizer: ConfigDecodable {
    /// A name (`"l1"`, `"l2"`, `"l1_l2"`, `"orthogonal_regularizer"`, or a class name: Keras's defaults) or a
    /// serialized object (Keras 3's dict with `module`, Keras 2's `{"class_name", "config"}`).
    public init(configValue json: JSON) throws(ConfigValueError) {
        let (className, config) = try KerasObject.parts(of: json, kind: "a regularizer")
        let c = ConfigReader(config, context: "regularizer \(className)")
        func factor(_ key: String, _ defaultValue: Double) -> Float {
            let v: Double = c.value(key, default: defaultValue)
            if !(v >= 0) || !v.isFinite { c.report("'\(key)' must be a non-negative number, found \(v)") }
            return Float(v)
        }
        switch className {
        case "L1", "l1": self = .l1(factor("l1", 0.01))
        case "L2", "l2": self = .l2(factor("l2", 0.01))
        case "L1L2", "l1_l2": self = .l1l2(l1: factor("l1", 0), l2: factor("l2", 0))
        case "OrthogonalRegularizer", "orthogonal_regularizer":
            let modeName: String = c.value("mode", default: "rows")
            let mode = OrthogonalMode(rawValue: modeName)
            if mode == nil { c.report("'mode' must be 'rows' or 'columns', found '\(modeName)'") }
            self = .orthogonal(factor: factor("factor", 0.01), mode: mode ?? .rows)
        default:
            throw ConfigValueError("unknown regularizer '\(className)'; supported: L1, L2, L1L2, OrthogonalRegularizer")
        }
        if !c.issues.isEmpty { throw ConfigValueError(c.issues.joined(separator: "; ")) }
    }

    public static var placeholder: Regularizer { .l2(0) }
    public static var configTypeName: String { "a regularizer" }

    /// The Keras class name.
    public var className: String {
        switch self {
        case .l1: return "L1"
        case .l2: return "L2"
        case .l1l2: return "L1L2"
        case .orthogonal: return "OrthogonalRegularizer"
        }
    }

    /// Keras 3's serialized object dict.
    public var serialized: JSON {
        let config: JSONObject
        switch self {
        // Keras holds L1's factor and OrthogonalRegularizer's as float32 tensors and writes them widened.
        case .l1(let l1): config = ["l1": .double(Double(l1))]
        case .l2(let l2): config = ["l2": CompileConfig.decimal(l2)]
        case .l1l2(let l1, let l2): config = ["l1": CompileConfig.decimal(l1), "l2": CompileConfig.decimal(l2)]
        case .orthogonal(let factor, let mode): config = ["factor": .double(Double(factor)), "mode": .string(mode.rawValue)]
        }
        return KerasObject.serialized(module: "keras.regularizers", className: className, config: config)
    }
}
