import CKernels

/// Optimizer update loops over a variable and its slots, in place, at the CPU's vector width (`CKernels`, compiled
/// per instruction set) and spread over the cores. Optimizers in the Keras module state their rule in a doc comment
/// and call these.
public enum UpdateRules {
    /// Keras's RMSprop step for `count` elements; `momentum` and `averageGradient` are nil when the optimizer has
    /// no momentum or is not centered.
    public static func rmsprop(weights w: UnsafeMutablePointer<Float>, velocity v: UnsafeMutablePointer<Float>,
                               momentum m: UnsafeMutablePointer<Float>?, averageGradient a: UnsafeMutablePointer<Float>?,
                               gradient g: UnsafePointer<Float>, count: Int, learningRate: Float, rho: Float,
                               oneMinusRho: Float, epsilon: Float, momentumCoefficient mu: Float) {
        Parallel.forEachChunk(count) { r in
            let k = r.lowerBound
            sk_rmsprop(w + k, v + k, m.map { $0 + k }, a.map { $0 + k }, g + k, r.count, learningRate, rho, oneMinusRho, epsilon, mu)
        }
    }

    /// Keras's Adam step for `count` elements with the step's `alpha` (learning rate with both bias corrections);
    /// `velocityHat` is nil without AMSGrad.
    public static func adam(weights w: UnsafeMutablePointer<Float>, momentum m: UnsafeMutablePointer<Float>,
                            velocity v: UnsafeMutablePointer<Float>, velocityHat: UnsafeMutablePointer<Float>?,
                            gradient g: UnsafePointer<Float>, count: Int, alpha: Float, oneMinusBeta1: Float,
                            oneMinusBeta2: Float, epsilon: Float) {
        Parallel.forEachChunk(count) { r in
            let k = r.lowerBound
            sk_adam(w + k, m + k, v + k, velocityHat.map { $0 + k }, g + k, r.count, alpha, oneMinusBeta1, oneMinusBeta2, epsilon)
        }
    }
}
