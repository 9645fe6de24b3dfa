import TensorEngine

/// A Keras activation, by the name Keras 3 accepts in configs and in `activation=` arguments.
public enum ActivationFunction: String, CaseIterable, Sendable, ConfigDecodable {
    case linear, relu, relu6, elu, selu, gelu, silu, swish, mish, sigmoid, tanh, softmax, softplus, softsign, exponential
    case leakyRelu = "leaky_relu"
    case hardSigmoid = "hard_sigmoid"
    case hardSilu = "hard_silu"
    case hardSwish = "hard_swish"
    case logSoftmax = "log_softmax"
    /// Keras 2's `hard_sigmoid` (slope 0.2), which Keras 3 redefined; the Keras 2 reader maps the name to this.
    case hardSigmoidKeras2 = "keras2_hard_sigmoid"

    /// Whether Keras 3 has this activation under this name (Keras 2's hard sigmoid it has not).
    public var existsInKeras3: Bool { self != .hardSigmoidKeras2 }

    /// Applies the activation; softmax and log-softmax work along the last axis, as Keras's do.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .linear: return x
        case .relu: return x.relu()
        case .relu6: return x.applying(.relu6)
        case .leakyRelu: return x.applying(.leakyRelu())
        case .elu: return x.applying(.elu())
        case .selu: return x.applying(.selu)
        case .gelu: return x.applying(.gelu)
        case .silu, .swish: return x.applying(.silu)
        case .mish: return x.applying(.mish)
        case .sigmoid: return x.applying(.sigmoid)
        case .hardSigmoid: return x.applying(.hardSigmoid)
        case .hardSilu, .hardSwish: return x.applying(.hardSilu)
        case .hardSigmoidKeras2: return x.applying(.hardSigmoidKeras2)
        case .tanh: return x.applying(.tanh)
        case .softmax: return x.softmax(alongAxis: -1)
        case .logSoftmax: return x.logSoftmax(alongAxis: -1)
        case .softplus: return x.applying(.softplus)
        case .softsign: return x.applying(.softsign)
        case .exponential: return x.exp()
        }
    }

    /// Reads `"relu"`, `null` (linear) or a serialized built-in function
    /// (`{"class_name": "function", "config": "relu", …}`).
    public init(configValue json: JSON) throws(ConfigValueError) {
        var name: String
        switch json {
        case .null: name = "linear"
        case .string(let s): name = s
        case .object(let o):
            guard case .string(let s)? = o["config"] else { throw .expected("an activation name", found: json) }
            name = s
        default: throw .expected("an activation name", found: json)
        }
        if name == "None" { name = "linear" }
        guard let value = ActivationFunction(rawValue: name) else {
            throw ConfigValueError("unknown activation '\(name)'; supported: \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = value
    }

    public static var placeholder: ActivationFunction { .linear }
    public static var configTypeName: String { "an activation name" }
}
