/// Keras's `RMSprop`.
///
/// `v ← ρ·v + (1−ρ)·g²`; centered: `a ← ρ·a + (1−ρ)·g` and the denominator is `v − a² + ε`, else `v + ε`
/// (ε inside the square root); `inc = lr·g / √denominator`; with momentum `m ← μ·m + inc`, `θ ← θ − m`,
/// else `θ ← θ − inc`. Slots are grouped by kind: all velocities, then momentums, then average gradients.
public final class RMSprop: Optimizer {
    public let rho: Double
    public let momentum: Double
    public let epsilon: Double
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

    public override func createSlots(for variables: [Variable]) {
        velocities = makeSlots("velocity", for: variables)
        if momentum > 0 { momentums = makeSlots("momentum", for: variables) }
        if centered { averageGradients = makeSlots("average_gradient", for: variables) }
    }

    public override var slotVariables: [Variable] { velocities + momentums + averageGradients }

    public override func update(_ variable: Variable, index: Int, gradient: [Float]) {
        // Python computes 1 − ρ in double precision, then the backend casts each constant to float32.
        let lr = learningRate, rho = Float(self.rho), oneMinusRho = Float(1 - self.rho), eps = Float(epsilon), mu = Float(momentum)
        var group = [variable, velocities[index]]
        if momentum > 0 { group.append(momentums[index]) }
        if centered { group.append(averageGradients[index]) }
        let (hasMomentum, centered) = (momentum > 0, self.centered)
        gradient.withUnsafeBufferPointer { g in
            withMutableBuffers(group) { b in
                UpdateRules.rmsprop(weights: b[0].baseAddress!, velocity: b[1].baseAddress!,
                                    momentum: hasMomentum ? b[2].baseAddress! : nil,
                                    averageGradient: centered ? b[hasMomentum ? 3 : 2].baseAddress! : nil,
                                    gradient: g.baseAddress!, count: g.count, learningRate: lr, rho: rho,
                                    oneMinusRho: oneMinusRho, epsilon: eps, momentumCoefficient: mu)
            }
        }
    }
}
