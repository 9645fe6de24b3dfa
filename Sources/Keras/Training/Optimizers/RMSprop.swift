/// Keras's `RMSprop`.
///
/// `v ← ρ·v + (1−ρ)·g²`; centered: `a ← ρ·a + (1−ρ)·g` and the denominator is `v − a² + ε`, else `v + ε`
/// (ε inside the square root); `inc = lr·g / √denominator`; with momentum `m ← μ·m + inc`, `θ ← θ − m`,
/// else `θ ← θ − inc`. Slots are grouped by kind: all velocities, then momentums, then average gradients.
public final class RMSprop: Optimizer {
    /// The discounting factor of the moving average of squared gradients (Keras's `rho`, 0.9).
    public let rho: Double
    /// The momentum (0 for none).
    public let momentum: Double
    /// Added to the denominator for stability (Keras's 1e-7).
    public let epsilon: Double
    /// Whether gradients are normalised by their estimated variance (the moving average of gradients subtracted).
    public let centered: Bool
    private var velocities: [Variable] = []
    private var momentums: [Variable] = []
    private var averageGradients: [Variable] = []

    /// Keras's defaults: `learning_rate=0.001`, `rho=0.9`, `momentum=0.0`, `epsilon=1e-7`, `centered=False`.
    public init(learningRate: Float = 0.001, rho: Double = 0.9, momentum: Double = 0, epsilon: Double = 1e-7,
                centered: Bool = false, name: String? = nil, clipnorm: Float? = nil, globalClipnorm: Float? = nil,
                clipvalue: Float? = nil, weightDecay: Float? = nil) {
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered
        super.init(learningRate: learningRate, name: name, clipnorm: clipnorm, globalClipnorm: globalClipnorm,
                   clipvalue: clipvalue, weightDecay: weightDecay)
    }

    /// Creates `velocity`, and `momentum` / `average_gradient` when used, per variable (Keras's order).
    public override func createSlots(for variables: [Variable]) {
        velocities = makeSlots("velocity", for: variables)
        if momentum > 0 { momentums = makeSlots("momentum", for: variables) }
        if centered { averageGradients = makeSlots("average_gradient", for: variables) }
    }

    /// The slots in Keras's order: velocities, then momentums, then average gradients.
    public override var slotVariables: [Variable] { velocities + momentums + averageGradients }

    /// Keras's RMSprop update of one variable.
    public override func update(_ variable: Variable, index: Int, gradient: [Float]) {
        update([(variable, index, gradient)])
    }

    /// Keras's RMSprop update of every variable, spread over the cores.
    public override func update(_ updates: [(variable: Variable, index: Int, gradient: [Float])]) {
        // Python computes 1 − ρ in double precision, then the backend casts each constant to float32.
        let lr = learningRate, rho = Float(self.rho), oneMinusRho = Float(1 - self.rho), eps = Float(epsilon), mu = Float(momentum)
        let (hasMomentum, centered) = (momentum > 0, self.centered)
        let group = { (variable: Variable, i: Int) in
            [variable, self.velocities[i]] + (hasMomentum ? [self.momentums[i]] : []) + (centered ? [self.averageGradients[i]] : [])
        }
        withSegmentBuffers(updates, group: group) { buffers, gradients in
            let segments = zip(buffers, gradients).map { b, g in
                UpdateRules.Segment(weights: b[0], slots: (b[1], hasMomentum ? b[2] : nil, centered ? b[hasMomentum ? 3 : 2] : nil),
                                    gradient: g.baseAddress!, count: g.count)
            }
            UpdateRules.rmsprop(segments, learningRate: lr, rho: rho, oneMinusRho: oneMinusRho, epsilon: eps, momentumCoefficient: mu)
        }
    }
}
