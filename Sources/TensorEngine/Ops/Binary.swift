import CKernels

/// Elementwise arithmetic with broadcasting, each with its gradient rule.
extension Tensor {
    /// Applies `op` elementwise after broadcasting both operands to a common shape. The common patterns (equal
    /// shapes, a scalar, a trailing row such as a bias, a per-row column such as a mean) run as `Kernels` loops.
    private static func zipWith(_ a: Tensor, _ b: Tensor, _ op: SKBinaryOp) -> Tensor {
        if a.shape == b.shape { return Tensor(shape: a.shape, scalars: Kernels.zip(a.scalars, b.scalars, op)) }
        let shape = Broadcasting.shape(a.shape, b.shape)
        if b.count == 1 { return Tensor(shape: shape, scalars: Kernels.zipScalar(a.scalars, scalar: b.scalars[0], op)) }
        if a.count == 1 { return Tensor(shape: shape, scalars: Kernels.zipScalar(b.scalars, scalar: a.scalars[0], swapped: true, op)) }
        for (big, small, swapped) in [(a, b, false), (b, a, true)] where shape == big.shape && small.count > 0 {
            let trailing = Array(small.shape.drop(while: { $0 == 1 }))   // leading 1s of the small operand broadcast away
            if Array(big.shape.suffix(trailing.count)) == trailing {
                return Tensor(shape: shape, scalars: Kernels.zipRows(big.scalars, row: small.scalars, swapped: swapped, op))
            }
            if small.rank == big.rank, small.shape.last == 1, Array(small.shape.dropLast()) == Array(big.shape.dropLast()) {
                return Tensor(shape: shape, scalars: Kernels.zipColumns(big.scalars, column: small.scalars,
                                                                         width: big.shape.last ?? 1, swapped: swapped, op))
            }
        }
        // Any other pattern: both operands repeated to the common shape first.
        let out = Kernels.zip(a.broadcastScalars(to: shape), b.broadcastScalars(to: shape), op)
        return Tensor(shape: shape, scalars: out)
    }

    /// Keeps the gradients of the tracked operands among `a` and `b`, each summed back to its operand's shape.
    private static func pick(_ tracked: [Bool], _ ga: @autoclosure () -> Tensor, _ gb: @autoclosure () -> Tensor,
                             _ a: [Int], _ b: [Int]) -> [Tensor] {
        var grads: [Tensor] = []
        if tracked[0] { grads.append(ga().unbroadcast(to: a)) }
        if tracked[1] { grads.append(gb().unbroadcast(to: b)) }
        return grads
    }

    /// Elementwise sum.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let out = zipWith(a, b, .add)
        return .recorded(out, from: [a, b]) { g, t in pick(t, g, g, a.shape, b.shape) }
    }

    /// Elementwise difference.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = zipWith(a, b, .subtract)
        return .recorded(out, from: [a, b]) { g, t in pick(t, g, g.negated(), a.shape, b.shape) }
    }

    /// Elementwise product.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = zipWith(a, b, .multiply)
        return .recorded(out, from: [a, b]) { g, t in pick(t, g * b.detached, g * a.detached, a.shape, b.shape) }
    }

    /// Elementwise quotient.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = zipWith(a, b, .divide)
        return .recorded(out, from: [a, b]) { g, t in
            pick(t, g / b.detached, (g * out.detached / b.detached).negated(), a.shape, b.shape)
        }
    }

    /// Elementwise maximum; the gradient goes to `a` where `a >= b`, otherwise to `b`.
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let out = zipWith(a, b, .maximum)
        return .recorded(out, from: [a, b]) { g, t in
            let mask = zipWith(a, b, .greaterOrEqual)
            return pick(t, g * mask, g * (Tensor(1) - mask), a.shape, b.shape)
        }
    }

    /// Elementwise minimum; the gradient goes to `a` where `a <= b`, otherwise to `b`.
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let out = zipWith(a, b, .minimum)
        return .recorded(out, from: [a, b]) { g, t in
            let mask = zipWith(a, b, .lessOrEqual)
            return pick(t, g * mask, g * (Tensor(1) - mask), a.shape, b.shape)
        }
    }

    /// Adds a tensor of the same shape into this one without recording (used to accumulate gradients): in place
    /// when this tensor's storage is not shared.
    mutating func accumulate(_ other: Tensor) {
        node = nil
        Kernels.accumulate(&scalars, other.scalars)
    }

    /// `self + scalar`.
    public static func + (a: Tensor, s: Float) -> Tensor { a + Tensor(s) }
    /// `self - scalar`.
    public static func - (a: Tensor, s: Float) -> Tensor { a - Tensor(s) }
    /// `self * scalar`.
    public static func * (a: Tensor, s: Float) -> Tensor { a * Tensor(s) }
    /// `scalar * self`.
    public static func * (s: Float, a: Tensor) -> Tensor { a * Tensor(s) }
    /// `self / scalar`.
    public static func / (a: Tensor, s: Float) -> Tensor { a / Tensor(s) }
    /// Elementwise negation.
    public static prefix func - (a: Tensor) -> Tensor { a.negated() }
}
