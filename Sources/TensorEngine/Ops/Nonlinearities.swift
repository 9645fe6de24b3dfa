import Foundation

/// The elementwise nonlinearities behind Keras's activations, with Keras 3's formulas and constants.
extension UnaryFunction {
    /// The identity (Keras's `linear`).
    public static let identity = UnaryFunction(name: "linear", apply: { $0 }, derivative: { _, _ in 1 })
    /// `min(max(x, 0), 6)`.
    public static let relu6 = UnaryFunction(name: "relu6", apply: { Swift.min(Swift.max($0, 0), 6) },
                                            derivative: { x, _ in x > 0 && x < 6 ? 1 : 0 })
    /// `x` for positive inputs, `slope·x` otherwise (Keras's default `negative_slope` is 0.2).
    public static func leakyRelu(slope: Float = 0.2) -> UnaryFunction {
        UnaryFunction(name: "leaky_relu", apply: { $0 >= 0 ? $0 : slope * $0 }, derivative: { x, _ in x > 0 ? 1 : slope })
    }
    /// `x` for positive inputs, `alpha·(eˣ − 1)` otherwise.
    public static func elu(alpha: Float = 1) -> UnaryFunction {
        UnaryFunction(name: "elu", apply: { $0 > 0 ? $0 : alpha * Foundation.expm1($0) },
                      derivative: { x, y in x > 0 ? 1 : y + alpha })
    }
    /// Scaled ELU with the self-normalising constants.
    public static let selu: UnaryFunction = {
        let alpha: Float = 1.6732632423543772848170429916717
        let scale: Float = 1.0507009873554804934193349852946
        return UnaryFunction(name: "selu", apply: { scale * ($0 > 0 ? $0 : alpha * Foundation.expm1($0)) },
                             derivative: { x, _ in x > 0 ? scale : scale * alpha * Foundation.exp(x) })
    }()
    /// The exact Gaussian error linear unit, `x·Φ(x) = x/2·(1 + erf(x/√2))` (Keras's `approximate=False`).
    public static let gelu = UnaryFunction(
        name: "gelu",
        apply: { x in 0.5 * x * (1 + Foundation.erf(x / Float(2).squareRoot())) },
        derivative: { x, _ in
            let cdf = 0.5 * (1 + Foundation.erf(x / Float(2).squareRoot()))
            let pdf = Foundation.exp(-0.5 * x * x) / Float(2 * Double.pi).squareRoot()
            return cdf + x * pdf
        })
    /// `1 / (1 + e⁻ˣ)`, computed without overflow for large negative inputs.
    public static let sigmoid = UnaryFunction(name: "sigmoid", apply: logistic, derivative: { _, y in y * (1 - y) }, fastPath: .sigmoid)
    /// Keras 3's piecewise-linear sigmoid: `relu6(x + 3) / 6`.
    public static let hardSigmoid = UnaryFunction(
        name: "hard_sigmoid", apply: { Swift.min(Swift.max($0 / 6 + 0.5, 0), 1) },
        derivative: { x, _ in x > -3 && x < 3 ? 1.0 / 6 : 0 })
    /// Keras 3's `hard_silu` (alias `hard_swish`): `x · relu6(x + 3) / 6`.
    public static let hardSilu = UnaryFunction(
        name: "hard_silu", apply: { $0 * (Swift.min(Swift.max($0 + 3, 0), 6) / 6) },
        derivative: { x, _ in x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6 })
    /// Keras 2's hard sigmoid, `clip(0.2·x + 0.5, 0, 1)` (Keras 3 changed it to `relu6(x + 3) / 6`).
    public static let hardSigmoidKeras2 = UnaryFunction(
        name: "keras2_hard_sigmoid", apply: { Swift.min(Swift.max($0 * 0.2 + 0.5, 0), 1) },
        derivative: { x, _ in x > -2.5 && x < 2.5 ? 0.2 : 0 })
    /// The hyperbolic tangent.
    public static let tanh = UnaryFunction(name: "tanh", apply: { Foundation.tanh($0) }, derivative: { _, y in 1 - y * y }, fastPath: .tanh)
    /// `ln(1 + eˣ)`, computed stably as `max(x, 0) + ln(1 + e^−|x|)`.
    public static let softplus = UnaryFunction(name: "softplus", apply: stableSoftplus, derivative: { x, _ in logistic(x) })
    /// `x / (1 + |x|)`.
    public static let softsign = UnaryFunction(name: "softsign", apply: { $0 / (1 + Swift.abs($0)) },
                                               derivative: { x, _ in 1 / ((1 + Swift.abs(x)) * (1 + Swift.abs(x))) })
    /// `x·sigmoid(x)` (Keras's `silu`, also called `swish`).
    public static let silu = UnaryFunction(name: "silu", apply: { $0 * logistic($0) },
                                           derivative: { x, _ in let s = logistic(x); return s * (1 + x * (1 - s)) })
    /// `x·tanh(softplus(x))`.
    public static let mish = UnaryFunction(
        name: "mish", apply: { $0 * Foundation.tanh(stableSoftplus($0)) },
        derivative: { x, _ in
            let t = Foundation.tanh(stableSoftplus(x))
            return t + x * (1 - t * t) * logistic(x)
        })
}

@Sendable private func logistic(_ x: Float) -> Float {
    x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
}

@Sendable private func stableSoftplus(_ x: Float) -> Float {
    Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
}

extension Tensor {
    /// Softmax along `axis`, built from primitives: `exp(x − max) / Σ exp(x − max)`. The max is a constant
    /// shift (it does not change the result), so no gradient flows through it.
    public func softmax(alongAxis axis: Int = -1) -> Tensor {
        let shifted = self - max(alongAxis: axis, keepingDims: true).detached
        let e = shifted.exp()
        return e / e.sum(alongAxis: axis, keepingDims: true)
    }

    /// Log-softmax along `axis`: `x − max − log Σ exp(x − max)`.
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        let shifted = self - max(alongAxis: axis, keepingDims: true).detached
        return shifted - shifted.exp().sum(alongAxis: axis, keepingDims: true).log()
    }
}
