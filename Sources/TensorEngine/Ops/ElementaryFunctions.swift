import Foundation

/// The elementary functions of NumPy / `keras.ops` as `UnaryFunction`s, each with its derivative as JAX defines
/// it (zero for the step functions `floor`, `ceil`, `round`, `sign`).
extension UnaryFunction {
    /// The sine.
    public static let sin = UnaryFunction(name: "sin", apply: { Foundation.sin($0) }, derivative: { x, _ in Foundation.cos(x) })
    /// The cosine.
    public static let cos = UnaryFunction(name: "cos", apply: { Foundation.cos($0) }, derivative: { x, _ in -Foundation.sin(x) })
    /// The tangent.
    public static let tan = UnaryFunction(name: "tan", apply: { Foundation.tan($0) }, derivative: { _, y in 1 + y * y })
    /// The inverse sine.
    public static let arcsin = UnaryFunction(name: "arcsin", apply: { Foundation.asin($0) }, derivative: { x, _ in 1 / Foundation.sqrt(1 - x * x) })
    /// The inverse cosine.
    public static let arccos = UnaryFunction(name: "arccos", apply: { Foundation.acos($0) }, derivative: { x, _ in -1 / Foundation.sqrt(1 - x * x) })
    /// The inverse tangent.
    public static let arctan = UnaryFunction(name: "arctan", apply: { Foundation.atan($0) }, derivative: { x, _ in 1 / (1 + x * x) })
    /// The hyperbolic sine.
    public static let sinh = UnaryFunction(name: "sinh", apply: { Foundation.sinh($0) }, derivative: { x, _ in Foundation.cosh(x) })
    /// The hyperbolic cosine.
    public static let cosh = UnaryFunction(name: "cosh", apply: { Foundation.cosh($0) }, derivative: { x, _ in Foundation.sinh(x) })
    /// The inverse hyperbolic sine.
    public static let arcsinh = UnaryFunction(name: "arcsinh", apply: { Foundation.asinh($0) }, derivative: { x, _ in 1 / Foundation.sqrt(x * x + 1) })
    /// The inverse hyperbolic cosine.
    public static let arccosh = UnaryFunction(name: "arccosh", apply: { Foundation.acosh($0) }, derivative: { x, _ in 1 / Foundation.sqrt(x * x - 1) })
    /// The inverse hyperbolic tangent.
    public static let arctanh = UnaryFunction(name: "arctanh", apply: { Foundation.atanh($0) }, derivative: { x, _ in 1 / (1 - x * x) })
    /// `log(1 + x)`, accurate near 0.
    public static let log1p = UnaryFunction(name: "log1p", apply: { Foundation.log1p($0) }, derivative: { x, _ in 1 / (1 + x) })
    /// `eˣ − 1`, accurate near 0.
    public static let expm1 = UnaryFunction(name: "expm1", apply: { Foundation.expm1($0) }, derivative: { _, y in y + 1 })
    /// The base-2 logarithm.
    public static let log2 = UnaryFunction(name: "log2", apply: { Foundation.log2($0) }, derivative: { x, _ in 1 / (x * Float(M_LN2)) })
    /// The base-10 logarithm.
    public static let log10 = UnaryFunction(name: "log10", apply: { Foundation.log10($0) }, derivative: { x, _ in 1 / (x * Float(M_LN10)) })
    /// `2ˣ`.
    public static let exp2 = UnaryFunction(name: "exp2", apply: { Foundation.exp2($0) }, derivative: { _, y in y * Float(M_LN2) })
    /// The cube root.
    public static let cbrt = UnaryFunction(name: "cbrt", apply: { Foundation.cbrt($0) }, derivative: { _, y in 1 / (3 * y * y) })
    /// The error function.
    public static let erf = UnaryFunction(name: "erf", apply: { Foundation.erf($0) },
                                          derivative: { x, _ in Float(M_2_SQRTPI) * Foundation.exp(-x * x) })
    /// The complementary error function, `1 − erf(x)`.
    public static let erfc = UnaryFunction(name: "erfc", apply: { Foundation.erfc($0) },
                                           derivative: { x, _ in -Float(M_2_SQRTPI) * Foundation.exp(-x * x) })
    /// `1 / x`.
    public static let reciprocal = UnaryFunction(name: "reciprocal", apply: { 1 / $0 }, derivative: { _, y in -y * y })
    /// `1 / √x`.
    public static let rsqrt = UnaryFunction(name: "rsqrt", apply: { 1 / Foundation.sqrt($0) }, derivative: { _, y in -0.5 * y * y * y })
    /// The largest integer ≤ x.
    public static let floor = step("floor") { $0.rounded(.down) }
    /// The smallest integer ≥ x.
    public static let ceil = step("ceil") { $0.rounded(.up) }
    /// Round half to even, as NumPy.
    public static let round = step("round") { $0.rounded(.toNearestOrEven) }
    /// −1, 0 or 1 (NaN stays NaN).
    public static let sign = step("sign") { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 }
    /// Truncation toward zero (a cast of floats to integers).
    public static let truncate = step("truncate") { $0.rounded(.towardZero) }
    /// 1 where the element is zero (NumPy's `logical_not`).
    public static let logicalNot = step("logical_not") { $0 == 0 ? 1 : 0 }
    /// 1 where the element is non-zero (a cast to `bool`).
    public static let isNonZero = step("is_non_zero") { $0 != 0 ? 1 : 0 }
    /// 1 where the element is NaN.
    public static let isNaN = step("isnan") { $0.isNaN ? 1 : 0 }
    /// 1 where the element is ±∞.
    public static let isInfinite = step("isinf") { $0.isInfinite ? 1 : 0 }
    /// 1 where the element is neither NaN nor ±∞.
    public static let isFinite = step("isfinite") { $0.isFinite ? 1 : 0 }

    /// GELU with JAX's tanh approximation, `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))` (`ops.gelu`'s default).
    public static let geluTanh = UnaryFunction(name: "gelu_tanh", apply: { x in
        0.5 * x * (1 + Foundation.tanh(Float(0.7978845608) * (x + 0.044715 * x * x * x)))
    }, derivative: { x, _ in
        let t = Foundation.tanh(Float(0.7978845608) * (x + 0.044715 * x * x * x))
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * Float(0.7978845608) * (1 + 3 * 0.044715 * x * x)
    })
    /// `log(sigmoid(x)) = −softplus(−x)`.
    public static let logSigmoid = UnaryFunction(name: "log_sigmoid", apply: { x in
        -(Swift.max(-x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x))))
    }, derivative: { x, _ in 1 / (1 + Foundation.exp(x)) })
    /// `max(0, x) + min(0, α·(e^(x/α) − 1))`.
    public static func celu(alpha: Float) -> UnaryFunction {
        UnaryFunction(name: "celu", apply: { x in x > 0 ? x : alpha * Foundation.expm1(x / alpha) },
                      derivative: { x, _ in x > 0 ? 1 : Foundation.exp(x / alpha) })
    }

    /// A piecewise-constant function: its derivative is zero.
    private static func step(_ name: String, _ apply: @escaping @Sendable (Float) -> Float) -> UnaryFunction {
        UnaryFunction(name: name, apply: apply, derivative: { _, _ in 0 })
    }
}

/// Running sums and products along an axis (NumPy's `cumsum`, `cumprod`).
extension Tensor {
    /// The running sum along `axis`; the gradient is the running sum of the incoming gradient taken backwards.
    public func cumulativeSum(alongAxis axis: Int) -> Tensor {
        let a = normalizedAxis(axis)
        let out = Tensor(shape: shape, scalars: Self.runningSums(scalars, split(at: a), reversed: false))
        let parts = split(at: a)
        return .recorded(out, from: [self]) { g, _ in [Tensor(shape: g.shape, scalars: Self.runningSums(g.scalars, parts, reversed: true))] }
    }

    /// The running product along `axis`, built from slices so that its gradient is exact where elements are zero.
    public func cumulativeProduct(alongAxis axis: Int) -> Tensor {
        let a = normalizedAxis(axis)
        guard shape[a] > 1 else { return self }
        var running = slice(alongAxis: a, from: 0, count: 1)
        var pieces = [running]
        for i in 1..<shape[a] {
            running = running * slice(alongAxis: a, from: i, count: 1)
            pieces.append(running)
        }
        return Tensor.concatenate(pieces, alongAxis: a)
    }

    private static func runningSums(_ x: [Float], _ parts: (outer: Int, size: Int, inner: Int), reversed: Bool) -> [Float] {
        var out = x
        let (outer, size, inner) = parts
        guard size > 1 else { return out }
        for o in 0..<outer {
            for j in 1..<size {
                let (to, from) = reversed ? (size - 1 - j, size - j) : (j, j - 1)
                for i in 0..<inner { out[(o * size + to) * inner + i] += out[(o * size + from) * inner + i] }
            }
        }
        return out
    }
}
