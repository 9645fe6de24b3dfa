import Foundation
import TensorEngine

/// Operations of one tensor applied to every element: `ops.sin(x)`, `ops.relu(x)`, `ops.cast(x, "int32")` …
extension KerasOperation {
    static let elementwiseOperations = merged(activations, functions.mapValues { function -> Builder in
        { op in op.unary { $0.applying(function) } }
    }, [
        "Round": { op in
            let decimals = op.value("decimals", default: 0)
            guard decimals != 0 else { return op.unary { $0.applying(.round) } }
            // As JAX: scaled, rounded half to even, scaled back.
            let factor = Float(Foundation.pow(10, Double(decimals)))
            return op.unary { ($0 * factor).applying(.round) / factor }
        },
        // Values stay float32: a cast to an integer type truncates toward zero (values outside the type's range are
        // not wrapped), a cast to bool gives 1 and 0.
        "Cast": { op in try cast(op, to: op.value("dtype", default: "float32")) },
        // `ops.convert_to_tensor(x, dtype)`, which Keras records when it turns a mask into a tensor.
        "ConvertToTensor": { op in try cast(op, to: op.optional("dtype", as: String.self) ?? "float32") },
        "StopGradient": { op in op.unary { $0.detached } },
        "Deg2rad": { op in op.unary { $0 * Float(Double.pi / 180) } },
        "Rad2deg": { op in op.unary { $0 * Float(180 / Double.pi) } },
        "Gelu": { op in
            let function: UnaryFunction = op.value("approximate", default: true) ? .geluTanh : .gelu
            return op.unary { $0.applying(function) }
        },
        "Elu": { op in
            let alpha = Float(op.value("alpha", default: 1.0))
            return op.unary { $0.applying(.elu(alpha: alpha)) }
        },
        "Celu": { op in
            let alpha = Float(op.value("alpha", default: 1.0))
            return op.unary { $0.applying(.celu(alpha: alpha)) }
        },
        "LeakyRelu": { op in
            let slope = Float(op.value("negative_slope", default: 0.2))
            return op.unary { $0.applying(.leakyRelu(slope: slope)) }
        },
    ])

    /// Activation functions called as operations (`ops.relu(x)`).
    private static let activations: [String: Builder] = [
        "Relu": .relu, "Relu6": .relu6, "Sigmoid": .sigmoid, "Tanh": .tanh, "Silu": .silu, "Swish": .silu,
        "Softplus": .softplus, "Softsign": .softsign, "Selu": .selu, "Mish": .mish,
    ].mapValues { (activation: ActivationFunction) -> Builder in { op in op.unary { activation($0) } } }

    /// The elementwise functions of `keras.ops` (NumPy's names), each with its derivative as JAX defines it.
    private static let functions: [String: UnaryFunction] = [
        "Negative": .negate, "Abs": .abs, "Absolute": .abs, "Square": .square, "Sqrt": .sqrt, "Rsqrt": .rsqrt,
        "Exp": .exp, "Expm1": .expm1, "Log": .log, "Log1p": .log1p, "Log2": .log2, "Log10": .log10,
        "Sin": .sin, "Cos": .cos, "Tan": .tan, "Arcsin": .arcsin, "Arccos": .arccos, "Arctan": .arctan,
        "Sinh": .sinh, "Cosh": .cosh, "Arcsinh": .arcsinh, "Arccosh": .arccosh, "Arctanh": .arctanh,
        "Exp2": .exp2, "Cbrt": .cbrt, "Erf": .erf, "Erfc": .erfc,
        "Floor": .floor, "Ceil": .ceil, "Trunc": .truncate, "Sign": .sign, "Reciprocal": .reciprocal,
        "HardSigmoid": .hardSigmoid, "HardSilu": .hardSilu, "HardSwish": .hardSilu, "LogSigmoid": .logSigmoid,
        "HardTanh": .clip(-1, 1), "LogicalNot": .logicalNot, "Isnan": .isNaN, "Isinf": .isInfinite, "Isfinite": .isFinite,
    ]

    /// Values as Keras's cast to `dtype` leaves them (tensors stay float32): floats unchanged, booleans 1/0,
    /// integers truncated toward zero.
    static func cast(_ op: OperationConfig, to dtype: String) throws -> Compute {
        switch dtype {
        case "float32", "float64": return op.unary { $0 }
        case "bool": return op.unary { $0.applying(.isNonZero) }
        case let t where t.hasPrefix("int") || t.hasPrefix("uint"): return op.unary { $0.applying(.truncate) }
        default: throw ConfigError(issues: ["\(op.what): casting to \(dtype) is not supported (float32, float64, bool, int*, uint*)"])
        }
    }
}
