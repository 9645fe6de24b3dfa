import CKernels

/// Optimizer update loops over variables and their slots, in place, at the CPU's vector width (`CKernels`,
/// compiled per instruction set). All the variables of a step are updated in one parallel pass: their elements are
/// laid end to end and split evenly over the cores. Optimizers in the Keras module state their rule in a doc comment
/// and call these.
public enum UpdateRules {
    /// One variable's buffers for an update rule: its weights, up to three slots (which ones depends on the rule),
    /// its gradient and its element count.
    public struct Segment {
        /// The variable's values, updated in place.
        public var weights: UnsafeMutablePointer<Float>
        /// The optimizer's slots for the variable, updated in place (nil where the rule uses fewer).
        public var slots: (UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?)
        /// The variable's gradient.
        public var gradient: UnsafePointer<Float>
        /// The number of elements of each buffer.
        public var count: Int

        /// One variable's buffers.
        public init(weights: UnsafeMutablePointer<Float>, slots: (UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?),
                    gradient: UnsafePointer<Float>, count: Int) {
            self.weights = weights
            self.slots = slots
            self.gradient = gradient
            self.count = count
        }
    }

    /// Keras's RMSprop step; each segment's slots are (velocity, momentum or nil, average gradient or nil).
    public static func rmsprop(_ segments: [Segment], learningRate: Float, rho: Float, oneMinusRho: Float, epsilon: Float,
                               momentumCoefficient mu: Float) {
        forEachPiece(of: segments) { s, k, n in
            sk_rmsprop(s.weights + k, s.slots.0! + k, s.slots.1.map { $0 + k }, s.slots.2.map { $0 + k }, s.gradient + k, n,
                       learningRate, rho, oneMinusRho, epsilon, mu)
        }
    }

    /// Keras's Adam step with the step's `alpha` (learning rate with both bias corrections); each segment's slots
    /// are (momentum, velocity, velocity hat or nil without AMSGrad).
    public static func adam(_ segments: [Segment], alpha: Float, oneMinusBeta1: Float, oneMinusBeta2: Float, epsilon: Float) {
        forEachPiece(of: segments) { s, k, n in
            sk_adam(s.weights + k, s.slots.0! + k, s.slots.1! + k, s.slots.2.map { $0 + k }, s.gradient + k, n,
                    alpha, oneMinusBeta1, oneMinusBeta2, epsilon)
        }
    }

    /// Calls `body(segment, offset, count)` for pieces that together cover every segment once, the segments' elements
    /// split evenly over the cores in one parallel pass.
    static func forEachPiece(of segments: [Segment], _ body: (Segment, Int, Int) -> Void) {
        let total = segments.reduce(0) { $0 + $1.count }
        Parallel.forEachChunk(total) { chunk in
            var start = 0
            for segment in segments {
                let (low, high) = (Swift.max(chunk.lowerBound, start), Swift.min(chunk.upperBound, start + segment.count))
                if low < high { body(segment, low - start, high - low) }
                start += segment.count
            }
        }
    }
}
