import TensorEngine

/// A `keras.ops` call recorded in a Functional graph — `x * 2.0`, `x[:, 1:3]`, `ops.mean(x, axis=1)`,
/// `ops.split(x, 2, axis=-1)` — which Keras saves as an operation entry (`"module": "keras.src.ops.numpy",
/// "class_name": "Multiply"`) whose call arguments mix tensors and constants. It has no weights, is not one of the
/// model's `layers` (as in Keras), and is differentiable through the tensor ops it maps to.
///
/// Each operation is one entry of a table keyed by its Keras class name, in the file of its kind
/// (`ElementwiseOperations.swift`, `ReductionOperations.swift` …); adding an operation is adding an entry:
///
/// ```swift
/// "Cumsum": { op in try scan(op) { $0.cumulativeSum(alongAxis: $1) } },
/// ```
///
/// A new kind of operation is a new file with its table (`static let imageOperations: [String: Builder]`) named in
/// `builders` below.
public final class KerasOperation: Layer {
    /// The Keras class name (`Multiply`, `GetItem`, `Split` …).
    public let operationName: String
    let module: String
    private let compute: Compute

    /// One positional argument of a call: a tensor, a list of tensors, or a constant from the file.
    enum Value {
        case tensor(Tensor)
        case tensors([Tensor])
        case constant(JSON)
    }

    /// Runs an operation on one call's positional arguments and returns its outputs (one, or several for `Split`,
    /// `Unstack`, `TopK`).
    typealias Compute = ([Value]) throws -> [Tensor]
    /// Makes an operation's computation from its config entry.
    typealias Builder = @Sendable (OperationConfig) throws -> Compute

    /// Every operation this package implements, by Keras class name: the tables of each kind merged.
    static let builders = merged(elementwiseOperations, binaryOperations, reductionOperations, shapeOperations,
                                 indexingOperations, linearAlgebraOperations, imageOperations)

    /// The union of operation tables (a name in two tables is a programming error).
    static func merged(_ tables: [String: Builder]...) -> [String: Builder] {
        tables.reduce(into: [:]) { all, table in
            all.merge(table) { _, _ in preconditionFailure("an operation is defined in two tables") }
        }
    }

    /// The class names of the supported operations, sorted.
    static var supported: [String] { builders.keys.sorted() }

    public required init(from config: ConfigReader) throws {
        throw ConfigError("operations are created by the Functional loader")
    }

    /// Reads the operation `className` of `module` from its config (`axis`, `keepdims`, `newshape` …).
    init(className: String, module: String, config: ConfigReader) throws {
        operationName = className
        self.module = module
        let what = "operation '\(config.value("name", default: className))' (\(module).\(className))"
        guard let build = Self.builders[className] else {
            throw ConfigError(issues: ["\(what) is not supported (supported operations: \(Self.supported.joined(separator: ", ")))"])
        }
        compute = try build(OperationConfig(reader: config, what: what))
        try super.init(from: config)
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

    /// Runs the operation on one call's positional arguments and returns its outputs.
    func apply(_ arguments: [Value]) throws -> [Tensor] { try compute(arguments) }

    public override class var hasBuildConfig: Bool { false }
    public override func build(inputShapes: [[Int]]) throws {}
}
