import TensorEngine

/// A `keras.ops` call recorded in a Functional graph — `x * 2.0`, `x + y`, `ops.relu(x)`, `ops.mean(x, axis=1)` —
/// which Keras saves as an operation entry (`"module": "keras.src.ops.numpy", "class_name": "Multiply"`) whose call
/// arguments mix tensors and constants. It has no weights, is not one of the model's `layers` (as in Keras), and is
/// differentiable through the tensor ops it maps to.
public final class KerasOperation: Layer {
    /// The Keras class name (`Multiply`, `TrueDivide`, `Relu` …).
    public let operationName: String
    let module: String
    private let compute: ([Value]) throws -> Tensor

    /// One positional argument of a call: a tensor, or a constant from the file.
    enum Value {
        case tensor(Tensor)
        case tensors([Tensor])
        case constant(JSON)
    }

    /// The operations this package implements, by Keras class name.
    static let supported: Set<String> = Set(unaryActivations.keys).union(binary.keys).union(
        ["Negative", "Abs", "Square", "Sqrt", "Exp", "Log", "Mean", "Sum", "Max", "Reshape", "Transpose", "Concatenate",
         "Matmul", "Softmax", "LogSoftmax", "ExpandDims", "Squeeze", "NotEqual", "Any"]).union(imageOperations)

    private static let unaryActivations: [String: ActivationFunction] = [
        "Relu": .relu, "Relu6": .relu6, "Sigmoid": .sigmoid, "Tanh": .tanh, "Silu": .silu, "Swish": .silu,
        "Softplus": .softplus, "Softsign": .softsign, "Selu": .selu, "Mish": .mish,
    ]

    private static let binary: [String: @Sendable (Tensor, Tensor) -> Tensor] = [
        "Add": (+), "Subtract": (-), "Multiply": (*), "TrueDivide": (/), "Divide": (/),
        "Maximum": Tensor.maximum, "Minimum": Tensor.minimum,
    ]

    public required init(from config: ConfigReader) throws {
        throw ConfigError("operations are created by the Functional loader")
    }

    /// Reads the operation `className` of `module` from its config (`axis`, `keepdims`, `newshape`, `axes` …).
    init(className: String, module: String, config: ConfigReader) throws {
        operationName = className
        self.module = module
        let what = "operation '\(config.value("name", default: className))' (\(module).\(className))"
        @Sendable func tensor(_ v: Value) throws -> Tensor {
            switch v {
            case .tensor(let t): return t
            case .constant(let c):
                guard let d = c.doubleValue else { throw ShapeError("\(what): expected a tensor or a number, found \(c.brief)") }
                return Tensor(Float(d))
            case .tensors: throw ShapeError("\(what): expected a tensor, found a list")
            }
        }
        @Sendable func one(_ args: [Value]) throws -> Tensor {
            guard args.count == 1 else { throw ShapeError("\(what) takes one argument, got \(args.count)") }
            return try tensor(args[0])
        }
        func axes(_ key: String) -> [Int]? {
            if let single = config.object[key]?.intValue { return [single] }
            return config.optional(key, as: [Int].self)
        }
        switch className {
        case let name where Self.unaryActivations[name] != nil:
            let f = Self.unaryActivations[name]!
            compute = { try f(one($0)) }
        case let name where Self.binary[name] != nil:
            let f = Self.binary[name]!
            compute = { args in
                guard args.count == 2 else { throw ShapeError("\(what) takes two arguments, got \(args.count)") }
                let (a, b) = (try tensor(args[0]), try tensor(args[1]))
                guard Tensor.broadcastShape(a.shape, b.shape) != nil else {
                    throw ShapeError("\(what): shapes \(a.shape) and \(b.shape) do not broadcast together")
                }
                return f(a, b)
            }
        case let name where Self.imageOperations.contains(name):
            let f = try Self.imageOperation(name, config, what: what)
            compute = { try f(one($0)) }
        case "Negative": compute = { try one($0).negated() }
        case "Abs": compute = { try one($0).abs() }
        case "Square": compute = { try one($0).squared() }
        case "Sqrt": compute = { try one($0).sqrt() }
        case "Exp": compute = { try one($0).exp() }
        case "Log": compute = { try one($0).log() }
        case "NotEqual":
            // A mask (1 where the elements differ), as Keras records Embedding(mask_zero=True)'s and Masking's masks.
            compute = { args in
                guard args.count == 2 else { throw ShapeError("\(what) takes two arguments, got \(args.count)") }
                let (a, b) = (try tensor(args[0]), try tensor(args[1]))
                guard let shape = Tensor.broadcastShape(a.shape, b.shape) else {
                    throw ShapeError("\(what): shapes \(a.shape) and \(b.shape) do not broadcast together")
                }
                return a.broadcast(to: shape).notEqual(b.broadcast(to: shape))
            }
        case "Mean", "Sum", "Max", "Any":
            // `Any` (on masks: 1 where any element along the axes is non-zero) is the maximum of `x != 0`.
            let reduce = axes("axis"), keep = config.value("keepdims", default: false)
            compute = { args in
                let x = className == "Any" ? try one(args).notEqual(0) : try one(args)
                let all = reduce ?? Array(1..<x.rank)
                guard reduce != nil else { throw ShapeError("\(what): reducing over every axis (the batch included) is not supported") }
                var out = x
                for a in all.map({ $0 < 0 ? $0 + x.rank : $0 }).sorted(by: >) {
                    guard a >= 1, a < x.rank else { throw ShapeError("\(what): axis \(a) is not a feature axis of rank \(x.rank)") }
                    out = className == "Mean" ? out.mean(alongAxis: a, keepingDims: keep)
                        : className == "Sum" ? out.sum(alongAxis: a, keepingDims: keep) : out.max(alongAxis: a, keepingDims: keep)
                }
                return out
            }
        case "Reshape":
            let shape = config.value("newshape", default: [Int]())
            compute = { args in
                let x = try one(args)
                var target = shape
                if target.first == -1 || target.first == x.shape[0] { target[0] = x.shape[0] } else { target = [x.shape[0]] + target }
                guard target.filter({ $0 == -1 }).count <= 1, target.allSatisfy({ $0 >= -1 }) else { throw ShapeError("\(what): newshape \(shape) is not a shape") }
                let known = target.filter { $0 != -1 }.reduce(1, *)
                guard known > 0, x.count % known == 0, target.contains(-1) || known == x.count else {
                    throw ShapeError("\(what): cannot reshape \(x.shape) to \(shape)")
                }
                return x.reshaped(to: target)
            }
        case "Transpose":
            let permutation = config.optional("axes", as: [Int].self)
            compute = { args in
                let x = try one(args)
                let p = permutation ?? Array((0..<x.rank).reversed())
                guard p.sorted() == Array(0..<x.rank), p.first == 0 else { throw ShapeError("\(what): axes \(p) must permute the axes and keep the batch axis first") }
                return x.transposed(p)
            }
        case "Concatenate":
            let axis = config.value("axis", default: 0)
            compute = { args in
                guard args.count == 1, case .tensors(let ts) = args[0], let first = ts.first else { throw ShapeError("\(what) takes one list of tensors") }
                let a = axis < 0 ? axis + first.rank : axis
                guard a >= 1, a < first.rank, ts.allSatisfy({ t in t.rank == first.rank && (0..<t.rank).allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] } }) else {
                    throw ShapeError("\(what): shapes \(ts.map(\.shape)) do not concatenate along axis \(axis)")
                }
                return Tensor.concatenate(ts, alongAxis: a)
            }
        case "Matmul":
            compute = { args in
                guard args.count == 2 else { throw ShapeError("\(what) takes two arguments, got \(args.count)") }
                let (a, b) = (try tensor(args[0]), try tensor(args[1]))
                return try Self.batchedMatmul(a, b, what: what)
            }
        case "Softmax", "LogSoftmax":
            let axis = config.value("axis", default: -1)
            compute = { args in
                let x = try one(args)
                guard (-x.rank..<x.rank).contains(axis), axis != 0, axis != -x.rank else { throw ShapeError("\(what): axis \(axis) is not a feature axis") }
                return className == "Softmax" ? x.softmax(alongAxis: axis) : x.logSoftmax(alongAxis: axis)
            }
        case "ExpandDims", "Squeeze":
            let axis = config.optional("axis", as: Int.self)
            compute = { args in
                let x = try one(args)
                var shape = x.shape
                if className == "ExpandDims" {
                    guard let axis else { throw ShapeError("\(what): no axis") }
                    let a = axis < 0 ? axis + x.rank + 1 : axis
                    guard a >= 1, a <= x.rank else { throw ShapeError("\(what): axis \(axis) is out of range") }
                    shape.insert(1, at: a)
                } else {
                    let drop = axis.map { [$0 < 0 ? $0 + x.rank : $0] } ?? (1..<x.rank).filter { x.shape[$0] == 1 }
                    guard drop.allSatisfy({ $0 >= 1 && $0 < x.rank && x.shape[$0] == 1 }) else { throw ShapeError("\(what): cannot squeeze \(x.shape)") }
                    shape = shape.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
                }
                return x.reshaped(to: shape)
            }
        default:
            throw ConfigError(issues: ["\(what) is not supported (supported operations: \(Self.supported.sorted().joined(separator: ", ")))"])
        }
        try super.init(from: config)
    }

    /// `a · b` over the last two axes, with leading axes matching (Keras's `ops.matmul` for equal batch shapes).
    private static func batchedMatmul(_ a: Tensor, _ b: Tensor, what: String) throws -> Tensor {
        guard a.rank >= 2, b.rank >= 2, a.shape[a.rank - 1] == b.shape[b.rank - 2] else {
            throw ShapeError("\(what): cannot multiply shapes \(a.shape) and \(b.shape)")
        }
        if b.rank == 2 { return a.matmul(b) }
        guard a.rank == b.rank, a.shape.dropLast(2) == b.shape.dropLast(2) else {
            throw ShapeError("\(what): batched matmul needs the same leading axes, got \(a.shape) and \(b.shape)")
        }
        let lead = Array(a.shape.dropLast(2))
        let count = lead.reduce(1, *)
        let (m, k, n) = (a.shape[a.rank - 2], a.shape[a.rank - 1], b.shape[b.rank - 1])
        return Tensor.batchMatmul(a.reshaped(to: [count, m, k]), b.reshaped(to: [count, k, n])).reshaped(to: lead + [m, n])
    }

    /// A call's positional arguments: the constants at their positions, the tensors (or, for a call on a list, the
    /// list) in the others.
    static func arguments(_ tensors: [Tensor], constants: [Int: JSON], calledOnList: Bool) -> [Value] {
        let count = (calledOnList ? 1 : tensors.count) + constants.count
        var next = 0
        return (0..<count).map { position in
            if let constant = constants[position] { return .constant(constant) }
            if calledOnList { return .tensors(tensors) }
            defer { next += 1 }
            return .tensor(tensors[next])
        }
    }

    /// Runs the operation on one call's positional arguments.
    func apply(_ arguments: [Value]) throws -> Tensor { try compute(arguments) }

    public override class var hasBuildConfig: Bool { false }
    public override func build(inputShapes: [[Int]]) throws {}
}
