import TensorEngine

/// A Keras activation, by the name Keras 3 accepts in configs and in `activation=` arguments.
public enum ActivationFunction: String, CaseIterable, Sendable, ConfigDecodable {
    /// `x` (no activation).
    case linear
    /// `max(x, 0)`.
    case relu
    /// `min(max(x, 0), 6)`.
    case relu6
    /// `x` for `x > 0`, `exp(x) − 1` otherwise.
    case elu
    /// The scaled ELU: `1.0507 · (x > 0 ? x : 1.67326 · (exp(x) − 1))`.
    case selu
    /// The Gaussian error linear unit, `x · Φ(x)` (Keras's default, the exact form).
    case gelu
    /// `x · sigmoid(x)`.
    case silu
    /// `x · sigmoid(x)` (another name of `silu`).
    case swish
    /// `x · tanh(softplus(x))`.
    case mish
    /// `1 / (1 + exp(−x))`.
    case sigmoid
    /// The hyperbolic tangent.
    case tanh
    /// Exponentials normalised over the last axis.
    case softmax
    /// `log(1 + exp(x))`.
    case softplus
    /// `x / (1 + |x|)`.
    case softsign
    /// `exp(x)`.
    case exponential
    /// `x` for `x ≥ 0`, `0.2 · x` otherwise (Keras's default slope).
    case leakyRelu = "leaky_relu"
    /// Keras 3's `relu6(x + 3) / 6`.
    case hardSigmoid = "hard_sigmoid"
    /// `x · hard_sigmoid(x)`.
    case hardSilu = "hard_silu"
    /// `x · hard_sigmoid(x)` (another name of `hard_silu`).
    case hardSwish = "hard_swish"
    /// `x − log(Σ exp(x))` over the last axis.
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
