/// The numerical recipes behind Keras's weight initializers (keras/src/initializers), independent of any
/// config format.
public enum InitializerMath {
    /// Keras's `compute_fans`: fan-in and fan-out of a weight shape (a Dense kernel is `(in, out)`; for rank > 2
    /// the leading axes form the receptive field).
    public static func fans(_ shape: [Int]) -> (fanIn: Double, fanOut: Double) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (Double(shape[0]), Double(shape[0]))
        case 2: return (Double(shape[0]), Double(shape[1]))
        default:
            let receptive = Double(shape.dropLast(2).elementCount)
            return (Double(shape[shape.count - 2]) * receptive, Double(shape[shape.count - 1]) * receptive)
        }
    }

    /// The fan that `VarianceScaling` divides its scale by.
    public enum FanMode: String, Sendable, CaseIterable {
        /// The number of inputs each output sees.
        case fanIn = "fan_in"
        /// The number of outputs each input feeds.
        case fanOut = "fan_out"
        /// Their mean.
        case fanAvg = "fan_avg"
    }

    /// The distribution `VarianceScaling` draws from.
    public enum Distribution: String, Sendable, CaseIterable {
        /// A normal distribution cut at two standard deviations (rescaled so its variance is the target's).
        case truncatedNormal = "truncated_normal"
        /// A plain normal distribution.
        case untruncatedNormal = "untruncated_normal"
        /// A uniform distribution of the target variance.
        case uniform = "uniform"
    }

    /// Keras's `VarianceScaling`: samples whose variance is `scale / fan`.
    public static func varianceScaling(shape: [Int], scale: Double, mode: FanMode, distribution: Distribution,
                                       using rng: inout RandomGenerator) -> Tensor {
        let (fanIn, fanOut) = fans(shape)
        let fan: Double
        switch mode {
        case .fanIn: fan = max(1, fanIn)
        case .fanOut: fan = max(1, fanOut)
        case .fanAvg: fan = max(1, (fanIn + fanOut) / 2)
        }
        let s = scale / fan
        let n = shape.elementCount
        let values: [Float]
        switch distribution {
        case .truncatedNormal:
            // 0.879… is the standard deviation of N(0, 1) truncated to (−2, 2).
            values = rng.truncatedNormal(count: n, mean: 0, stddev: Float(s.squareRoot() / 0.87962566103423978))
        case .untruncatedNormal:
            values = rng.normal(count: n, mean: 0, stddev: Float(s.squareRoot()))
        case .uniform:
            let limit = Float((3 * s).squareRoot())
            values = rng.uniform(count: n, low: -limit, high: limit)
        }
        return Tensor(shape: shape, scalars: values)
    }

    /// Keras's `Orthogonal`: a (semi-)orthogonal matrix from the QR decomposition of a normal sample, flattened
    /// to `(prod(shape[:-1]), shape[-1])`, with the signs fixed by R's diagonal, times `gain`.
    public static func orthogonal(shape: [Int], gain: Float, using rng: inout RandomGenerator) -> Tensor {
        let cols = shape.last ?? 1
        let rows = shape.elementCount / Swift.max(cols, 1)
        // Work on the tall orientation, as Keras does, then transpose back.
        let (m, n) = (Swift.max(rows, cols), Swift.min(rows, cols))
        var a = rng.normal(count: m * n, mean: 0, stddev: 1).map(Double.init)   // m×n, row-major
        let q = householderQ(&a, m: m, n: n)
        var out = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols {
                out[r * cols + c] = gain * Float(rows >= cols ? q[r * n + c] : q[c * n + r])
            }
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// The first `n` columns of Q in A = QR (A is m×n, m ≥ n), with Q's columns multiplied by sign(R_ii).
    private static func householderQ(_ a: inout [Double], m: Int, n: Int) -> [Double] {
        var vs: [[Double]] = []
        var diag = [Double](repeating: 0, count: n)
        for k in 0..<n {
            var v = (k..<m).map { a[$0 * n + k] }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let alpha = v[0] >= 0 ? -norm : norm
            diag[k] = alpha
            v[0] -= alpha
            let vnorm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if vnorm > 0 { v = v.map { $0 / vnorm } }
            vs.append(v)
            for j in k..<n {
                var dot = 0.0
                for i in k..<m { dot += v[i - k] * a[i * n + j] }
                for i in k..<m { a[i * n + j] -= 2 * v[i - k] * dot }
            }
        }
        // Q = H0·H1·…·H(n−1) applied to the first n columns of the identity.
        var q = [Double](repeating: 0, count: m * n)
        for i in 0..<n { q[i * n + i] = 1 }
        for k in stride(from: n - 1, through: 0, by: -1) {
            let v = vs[k]
            for j in 0..<n {
                var dot = 0.0
                for i in k..<m { dot += v[i - k] * q[i * n + j] }
                for i in k..<m { q[i * n + j] -= 2 * v[i - k] * dot }
            }
        }
        for j in 0..<n where diag[j] < 0 { for i in 0..<m { q[i * n + j] = -q[i * n + j] } }
        return q
    }
}
