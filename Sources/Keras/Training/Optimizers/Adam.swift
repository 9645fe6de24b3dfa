import Foundation

/// Keras's `Adam` (and the base of `AdamW`).
///
/// `m ← m + (g − m)·(1−β₁)`, `v ← v + (g² − v)·(1−β₂)`, `α = lr·√(1−β₂ᵗ)/(1−β₁ᵗ)` with `t = iterations + 1`,
/// `θ ← θ − m·α / (√v + ε)` (ε not bias-corrected). Slots interleave per variable: m₀, v₀, m₁, v₁, …
public class Adam: Optimizer {
    /// The decay of the first-moment estimate (Keras's `beta_1`, 0.9).
    public let beta1: Double
    /// The decay of the second-moment estimate (Keras's `beta_2`, 0.999).
    public let beta2: Double
    /// Added to the denominator for stability (Keras's 1e-7).
    public let epsilon: Double
    /// Whether the AMSGrad variant is used (the running maximum of second moments).
    public let amsgrad: Bool
    private var momentums: [Variable] = []
    private var velocities: [Variable] = []
    private var velocityHats: [Variable] = []

    /// Keras's defaults: `learning_rate=0.001`, `beta_1=0.9`, `beta_2=0.999`, `epsilon=1e-7`, `amsgrad=False`.
    public init(learningRate: Float = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7,
                amsgrad: Bool = false, name: String? = nil, clipnorm: Float? = nil, globalClipnorm: Float? = nil,
                clipvalue: Float? = nil, weightDecay: Float? = nil) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        super.init(learningRate: learningRate, name: name, clipnorm: clipnorm, globalClipnorm: globalClipnorm,
                   clipvalue: clipvalue, weightDecay: weightDecay)
    }

    /// Creates `momentum` and `velocity` (and `velocity_hat` with AMSGrad) per variable.
    public override func createSlots(for variables: [Variable]) {
        momentums = makeSlots("momentum", for: variables)
        velocities = makeSlots("velocity", for: variables)
        if amsgrad { velocityHats = makeSlots("velocity_hat", for: variables) }
    }

    /// The slots in Keras's order: each variable's momentum then velocity, then the velocity hats.
    public override var slotVariables: [Variable] {
        zip(momentums, velocities).flatMap { [$0, $1] } + velocityHats
    }

    /// Keras's Adam update of one variable.
    public override func update(_ variable: Variable, index: Int, gradient g: [Float]) {
        update([(variable, index, g)])
    }

    /// Keras's Adam update of every variable, spread over the cores.
    public override func update(_ updates: [(variable: Variable, index: Int, gradient: [Float])]) {
        // Constants as Keras forms them: Python doubles cast to float32; the powers in float32.
        let t = Float(iterations + 1)
        let b1 = Float(beta1), b2 = Float(beta2), eps = Float(epsilon)
        let oneMinusB1 = Float(1 - beta1), oneMinusB2 = Float(1 - beta2)
        let alpha = learningRate * (1 - Foundation.pow(b2, t)).squareRoot() / (1 - Foundation.pow(b1, t))
        let amsgrad = self.amsgrad
        let group = { (variable: Variable, i: Int) in
            [variable, self.momentums[i], self.velocities[i]] + (amsgrad ? [self.velocityHats[i]] : [])
        }
        withSegmentBuffers(updates, group: group) { buffers, gradients in
            let segments = zip(buffers, gradients).map { b, g in
                UpdateRules.Segment(weights: b[0], slots: (b[1], b[2], amsgrad ? b[3] : nil), gradient: g.baseAddress!, count: g.count)
            }
            UpdateRules.adam(segments, alpha: alpha, oneMinusBeta1: oneMinusB1, oneMinusBeta2: oneMinusB2, epsilon: eps)
        }
    }
}

/// Keras's `AdamW`: Adam with decoupled weight decay (default 0.004) applied before each update.
public final class AdamW: Adam {
    /// Keras's defaults: `learning_rate=0.001`, `weight_decay=0.004`, `beta_1=0.9`, `beta_2=0.999`, `epsilon=1e-7`.
    public init(learningRate: Float = 0.001, weightDecay: Float = 0.004, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-7, amsgrad: Bool = false, name: String? = nil, clipnorm: Float? = nil,
                globalClipnorm: Float? = nil, clipvalue: Float? = nil) {
        super.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad,
                   name: name, clipnorm: clipnorm, globalClipnorm: globalClipnorm, clipvalue: clipvalue,
                   weightDecay: weightDecay)
    }
}
