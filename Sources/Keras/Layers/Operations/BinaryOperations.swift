import TensorEngine

/// Operations of two tensors (or a tensor and a number) that broadcast together — arithmetic, comparisons, logical
/// operations — and the selections `ops.where` and `ops.clip`. Comparisons give masks of 1 and 0, as Keras's
/// booleans read as numbers.
extension KerasOperation {
    static let binaryOperations = merged(
        arithmetic.mapValues { f -> Builder in { op in op.binary(f) } },
        functions.mapValues { function -> Builder in { op in op.binary { Tensor.combining($0, $1, function) } } }, [
        "Where": { op in
            op.single { args in
                guard args.count == 3 else { throw op.error("needs a condition and two values (ops.where(condition) alone is not supported)") }
                let (condition, a, b) = (try op.tensor(args[0]), try op.tensor(args[1]), try op.tensor(args[2]))
                guard let ab = Tensor.broadcastShape(a.shape, b.shape), Tensor.broadcastShape(condition.shape, ab) != nil else {
                    throw op.error("shapes \(condition.shape), \(a.shape) and \(b.shape) do not broadcast together")
                }
                return Tensor.selecting(condition, a, b)
            }
        },
        "Clip": { op in
            guard let low = op.optional("x_min", as: Double.self), let high = op.optional("x_max", as: Double.self) else {
                throw ConfigError(issues: ["\(op.what): x_min and x_max must be numbers"])
            }
            return op.unary { $0.clipped(to: Float(low), Float(high)) }
        },
    ])

    private static let arithmetic: [String: @Sendable (Tensor, Tensor) -> Tensor] = [
        "Add": (+), "Subtract": (-), "Multiply": (*), "TrueDivide": (/), "Divide": (/),
        "Maximum": Tensor.maximum, "Minimum": Tensor.minimum,
    ]

    private static let functions: [String: BinaryFunction] = [
        "Power": .power, "Mod": .mod, "FloorDivide": .floorDivide, "Arctan2": .arctan2, "Fmod": .fmod, "Hypot": .hypot, "Logaddexp": .logaddexp,
        "Equal": .equal, "NotEqual": .notEqual, "Greater": .greater, "GreaterEqual": .greaterEqual,
        "Less": .less, "LessEqual": .lessEqual, "LogicalAnd": .logicalAnd, "LogicalOr": .logicalOr,
        "LogicalXor": .logicalXor,
    ]
}
