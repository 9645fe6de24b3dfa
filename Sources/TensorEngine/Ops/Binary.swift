/// Elementwise arithmetic with broadcasting, each with its gradient rule.
extension Tensor {
    /// Applies `op` elementwise after broadcasting both operands to a common shape.
    private static func zipWith(_ a: Tensor, _ b: Tensor, _ op: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape {
            var out = [Float](repeating: 0, count: a.count)
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    for i in 0..<out.count { out[i] = op(pa[i], pb[i]) }
                }
            }
            return Tensor(shape: a.shape, scalars: out)
        }
        let shape = Broadcasting.shape(a.shape, b.shape)
        if b.count == 1 {
            let s = b.scalars[0]
            return Tensor(shape: shape, scalars: a.broadcastScalars(to: shape).map { op($0, s) })
        }
        if a.count == 1 {
            let s = a.scalars[0]
            return Tensor(shape: shape, scalars: b.broadcastScalars(to: shape).map { op(s, $0) })
        }
        // A trailing-axes operand (e.g. a bias of shape [n] against [batch, n]) repeats in blocks.
        if shape == a.shape, b.shape.elementCount > 0, Array(a.shape.suffix(b.rank)) == b.shape {
            let n = b.count
            var out = [Float](repeating: 0, count: a.count)
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    for i in 0..<out.count { out[i] = op(pa[i], pb[i % n]) }
                }
            }
            return Tensor(shape: shape, scalars: out)
        }
        // A column operand (e.g. a per-row mean of shape [batch, 1] against [batch, n]) repeats each value n times.
        if shape == a.shape, b.rank == a.rank, b.shape.last == 1, Array(b.shape.dropLast()) == Array(a.shape.dropLast()) {
            let n = a.shape.last ?? 1
            var out = [Float](repeating: 0, count: a.count)
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    for i in 0..<out.count { out[i] = op(pa[i], pb[i / n]) }
                }
            }
            return Tensor(shape: shape, scalars: out)
        }
        let oa = Broadcasting.offsets(from: a.shape, to: shape)
        let ob = Broadcasting.offsets(from: b.shape, to: shape)
        var out = [Float](repeating: 0, count: shape.elementCount)
        for i in 0..<out.count { out[i] = op(a.scalars[oa[i]], b.scalars[ob[i]]) }
        return Tensor(shape: shape, scalars: out)
    }

    private func broadcastScalars(to target: [Int]) -> [Float] {
        if shape == target { return scalars }
        return Broadcasting.offsets(from: shape, to: target).map { scalars[$0] }
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
        let out = zipWith(a, b, +)
        return .recorded(out, from: [a, b]) { g, t in pick(t, g, g, a.shape, b.shape) }
    }

    /// Elementwise difference.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let out = zipWith(a, b, -)
        return .recorded(out, from: [a, b]) { g, t in pick(t, g, g.negated(), a.shape, b.shape) }
    }

    /// Elementwise product.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let out = zipWith(a, b, *)
        return .recorded(out, from: [a, b]) { g, t in pick(t, g * b.detached, g * a.detached, a.shape, b.shape) }
    }

    /// Elementwise quotient.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let out = zipWith(a, b, /)
        return .recorded(out, from: [a, b]) { g, t in
            pick(t, g / b.detached, (g * out.detached / b.detached).negated(), a.shape, b.shape)
        }
    }

    /// Elementwise maximum; the gradient goes to `a` where `a >= b`, otherwise to `b`.
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let out = zipWith(a, b) { Swift.max($0, $1) }
        return .recorded(out, from: [a, b]) { g, t in
            let mask = zipWith(a, b) { $0 >= $1 ? 1 : 0 }
            return pick(t, g * mask, g * (Tensor(1) - mask), a.shape, b.shape)
        }
    }

    /// Elementwise minimum; the gradient goes to `a` where `a <= b`, otherwise to `b`.
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let out = zipWith(a, b) { Swift.min($0, $1) }
        return .recorded(out, from: [a, b]) { g, t in
            let mask = zipWith(a, b) { $0 <= $1 ? 1 : 0 }
            return pick(t, g * mask, g * (Tensor(1) - mask), a.shape, b.shape)
        }
    }

    /// Adds two tensors of the same shape without recording (used to accumulate gradients).
    func adding(_ other: Tensor) -> Tensor { Tensor.zipWith(self, other, +) }

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
