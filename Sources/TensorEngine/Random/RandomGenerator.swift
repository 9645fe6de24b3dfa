import Foundation

/// A small, fast, seedable random generator (xoshiro256**, seeded through SplitMix64).
///
/// Keras's seeded values come from its backend's RNG (JAX's threefry) and cannot be reproduced outside it; what
/// must match Keras is the *distribution* of every initializer, which this generator feeds.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var s = seed
        func splitmix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    /// A generator seeded from the system's entropy (Keras's `seed=None`).
    public init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x &<< k) | (x &>> (64 &- k)) }

    /// A uniform sample in `[0, 1)` with 24 random bits (every value is an exact Float).
    public mutating func nextUnitFloat() -> Float {
        Float(Int32(truncatingIfNeeded: next() &>> 40)) * (1.0 / 16_777_216.0)   // exact: a 24-bit value; a signed conversion is one instruction
    }

    /// A standard normal sample (Box–Muller, in double precision).
    public mutating func nextNormal() -> Float {
        let u1 = max(Double(next() >> 11) * 0x1.0p-53, Double.leastNonzeroMagnitude)
        let u2 = Double(next() >> 11) * 0x1.0p-53
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }

    /// `count` samples from `U(low, high)`.
    public mutating func uniform(count: Int, low: Float, high: Float) -> [Float] {
        (0..<count).map { _ in low + (high - low) * nextUnitFloat() }
    }

    /// `count` samples from `N(mean, stddev²)`.
    public mutating func normal(count: Int, mean: Float, stddev: Float) -> [Float] {
        (0..<count).map { _ in mean + stddev * nextNormal() }
    }

    /// `count` samples from a normal distribution truncated at two standard deviations (redrawn outside
    /// `(−2, 2)`), scaled by `stddev` and shifted by `mean` — Keras's `truncated_normal`.
    public mutating func truncatedNormal(count: Int, mean: Float, stddev: Float) -> [Float] {
        (0..<count).map { _ in
            var z = nextNormal()
            while Swift.abs(z) >= 2 { z = nextNormal() }
            return mean + stddev * z
        }
    }
}

extension RandomGenerator {
    /// A dropout mask (Keras's `backend.random.dropout`): each element is `1 / keepProbability` with probability
    /// `keepProbability`, else 0, so that `inputs * mask` keeps the expected value of every element.
    public mutating func dropoutMask(shape: [Int], keepProbability keep: Float) -> Tensor {
        var generator = self   // a local copy: no exclusivity check per draw on a stored generator
        defer { self = generator }
        let count = shape.elementCount
        // nextUnitFloat() < keep, decided on the draw's 24 bits without a branch (a coin flip mispredicts half the
        // time): r·2⁻²⁴ < keep ⟺ r < ⌈keep·2²⁴⌉.
        let threshold = Int64((Double(keep) * 16_777_216).rounded(.up))
        let scale = 1 / keep
        return Tensor(shape: shape, scalars: Kernels.make(count) { out in
            for i in 0..<count {
                let kept = ((Int64(bitPattern: generator.next() &>> 40) &- threshold) &>> 63) & 1
                out[i] = Float(Int32(truncatingIfNeeded: kept)) * scale
            }
        })
    }
}
