import Foundation

/// A scalar function of two arguments applied elementwise with broadcasting, together with its partial
/// derivatives (nil for a function whose derivative is zero almost everywhere, such as a comparison).
///
/// `derivatives` receives `x`, `y` and the output `z = apply(x, y)` and returns `(∂z/∂x, ∂z/∂y)`.
public struct BinaryFunction: Sendable {
    /// A name for diagnostics.
    public let name: String
    /// The function.
    public let apply: @Sendable (Float, Float) -> Float
    /// The partial derivatives, or nil for a constant to autodiff.
    public let derivatives: (@Sendable (_ x: Float, _ y: Float, _ z: Float) -> (Float, Float))?

    /// Makes a function from its forward rule and partial derivatives.
    public init(name: String, apply: @escaping @Sendable (Float, Float) -> Float,
                derivatives: (@Sendable (_ x: Float, _ y: Float, _ z: Float) -> (Float, Float))?) {
        self.name = name
        self.apply = apply
        self.derivatives = derivatives
    }

    /// A comparison or logical operation: 1 where `test` holds, 0 elsewhere.
    static func mask(_ name: String, _ test: @escaping @Sendable (Float, Float) -> Bool) -> BinaryFunction {
        BinaryFunction(name: name, apply: { test($0, $1) ? 1 : 0 }, derivatives: nil)
    }
}

extension Tensor {
    /// `function(a, b)` elementwise after broadcasting `a` and `b` to their common shape.
    /// - Precondition: the shapes broadcast together.
    public static func combining(_ a: Tensor, _ b: Tensor, _ function: BinaryFunction) -> Tensor {
        guard let shape = Tensor.broadcastShape(a.shape, b.shape) else {
            preconditionFailure("\(function.name): shapes \(a.shape) and \(b.shape) do not broadcast together")
        }
        let (x, y) = (a.broadcastScalars(to: shape), b.broadcastScalars(to: shape))
        let z = Kernels.make(shape.elementCount) { out in
            for i in 0..<x.count { out[i] = function.apply(x[i], y[i]) }
        }
        let result = Tensor(shape: shape, scalars: z)
        guard let derivatives = function.derivatives else { return result }
        return .recorded(result, from: [a, b]) { g, tracked in
            var (dx, dy) = ([Float](repeating: 0, count: z.count), [Float](repeating: 0, count: z.count))
            for i in 0..<z.count {
                let (p, q) = derivatives(x[i], y[i], z[i])
                (dx[i], dy[i]) = (g.scalars[i] * p, g.scalars[i] * q)
            }
            var grads: [Tensor] = []
            if tracked[0] { grads.append(Tensor(shape: shape, scalars: dx).unbroadcast(to: a.shape)) }
            if tracked[1] { grads.append(Tensor(shape: shape, scalars: dy).unbroadcast(to: b.shape)) }
            return grads
        }
    }

    /// `a` where `condition` is non-zero, `b` elsewhere, all three broadcast together (NumPy's `where`); the
    /// gradient goes to the operand picked.
    /// - Precondition: the shapes broadcast together.
    public static func selecting(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        guard let ab = Tensor.broadcastShape(a.shape, b.shape), let shape = Tensor.broadcastShape(condition.shape, ab) else {
            preconditionFailure("where: shapes \(condition.shape), \(a.shape) and \(b.shape) do not broadcast together")
        }
        let mask = condition.detached.broadcast(to: shape).notEqual(0)
        let (x, y, m) = (a.broadcastScalars(to: shape), b.broadcastScalars(to: shape), mask.scalars)
        let result = Tensor(shape: shape, scalars: Kernels.make(m.count) { out in
            for i in 0..<m.count { out[i] = m[i] != 0 ? x[i] : y[i] }
        })
        return .recorded(result, from: [a, b]) { g, tracked in
            var grads: [Tensor] = []
            if tracked[0] { grads.append((g * mask).unbroadcast(to: a.shape)) }
            if tracked[1] { grads.append((g * (Tensor(1) - mask)).unbroadcast(to: b.shape)) }
            return grads
        }
    }
}

extension BinaryFunction {
    /// `x^y`; as in JAX, `∂/∂y` is `log(x)·x^y` with `log(0)` taken as 0.
    public static let power = BinaryFunction(name: "power", apply: { Foundation.pow($0, $1) }, derivatives: { x, y, z in
        (y == 0 ? 0 : y * Foundation.pow(x, y - 1), x == 0 ? 0 : Foundation.log(x) * z)
    })
    /// The remainder with the sign of the divisor (NumPy's `mod`), computed as JAX does from the truncated one.
    public static let mod = BinaryFunction(name: "mod", apply: floorRemainder, derivatives: { x, y, _ in
        (1, -floorQuotient(x, y))
    })
    /// `floor(x / y)` computed as JAX does (`(x − remainder) / y`, rounded).
    public static let floorDivide = BinaryFunction(name: "floor_divide", apply: floorQuotient, derivatives: nil)
    /// `atan2(x, y)`.
    public static let arctan2 = BinaryFunction(name: "arctan2", apply: { Foundation.atan2($0, $1) }, derivatives: { x, y, _ in
        let r = x * x + y * y
        return (y / r, -x / r)
    })
    /// The remainder with the sign of the dividend (C's `fmod`, NumPy's `fmod`).
    public static let fmod = BinaryFunction(name: "fmod", apply: { Foundation.fmod($0, $1) }, derivatives: { x, y, _ in
        (1, -(x / y).rounded(.towardZero))
    })
    /// `√(x² + y²)`.
    public static let hypot = BinaryFunction(name: "hypot", apply: { Foundation.hypot($0, $1) }, derivatives: { x, y, z in
        z == 0 ? (0, 0) : (x / z, y / z)
    })
    /// `log(eˣ + eʸ)`, computed stably.
    public static let logaddexp = BinaryFunction(name: "logaddexp", apply: { x, y in
        let m = Swift.max(x, y)
        return m.isInfinite ? m : m + Foundation.log1p(Foundation.exp(-Swift.abs(x - y)))
    }, derivatives: { x, y, z in (Foundation.exp(x - z), Foundation.exp(y - z)) })
    /// `x = y`. The comparisons and logical operations give masks of 1 and 0 (non-zero counts as true).
    public static let equal = mask("equal") { $0 == $1 }
    /// `x ≠ y`.
    public static let notEqual = mask("not_equal") { $0 != $1 }
    /// `x > y`.
    public static let greater = mask("greater") { $0 > $1 }
    /// `x ≥ y`.
    public static let greaterEqual = mask("greater_equal") { $0 >= $1 }
    /// `x < y`.
    public static let less = mask("less") { $0 < $1 }
    /// `x ≤ y`.
    public static let lessEqual = mask("less_equal") { $0 <= $1 }
    /// Both non-zero.
    public static let logicalAnd = mask("logical_and") { $0 != 0 && $1 != 0 }
    /// Either non-zero.
    public static let logicalOr = mask("logical_or") { $0 != 0 || $1 != 0 }
    /// Exactly one non-zero.
    public static let logicalXor = mask("logical_xor") { ($0 != 0) != ($1 != 0) }

    private static func floorRemainder(_ x: Float, _ y: Float) -> Float {
        let r = Foundation.fmod(x, y)
        return r != 0 && (r < 0) != (y < 0) ? r + y : r
    }

    private static func floorQuotient(_ x: Float, _ y: Float) -> Float {
        let r = Foundation.fmod(x, y)
        var q = (x - r) / y
        if r != 0 && (r < 0) != (y < 0) { q -= 1 }
        return q.rounded(.toNearestOrEven)
    }
}
