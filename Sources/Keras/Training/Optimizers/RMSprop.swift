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

    public override func update(_ variable: Variable, index: Int, gradient g: [Float]) {
        // Python computes 1 − ρ in double precision, then the backend casts each constant to float32.
        let lr = learningRate, rho = Float(self.rho), oneMinusRho = Float(1 - self.rho), eps = Float(epsilon), mu = Float(momentum)
        let hasMomentum = momentum > 0, centered = self.centered
        var group = [variable, velocities[index]]
        if hasMomentum { group.append(momentums[index]) }
        if centered { group.append(averageGradients[index]) }
        withMutableBuffers(group) { b in
            let (w, v) = (b[0], b[1])
            for k in 0..<w.count {
                let gk = g[k]
                v[k] = rho * v[k] + oneMinusRho * (gk * gk)
                var denominator = v[k] + eps
                if centered {
                    let a = b[b.count - 1]
                    a[k] = rho * a[k] + oneMinusRho * gk
                    denominator = v[k] - a[k] * a[k] + eps
                }
                let increment = lr * gk / denominator.squareRoot()
                if hasMomentum {
                    let m = b[2]
                    m[k] = mu * m[k] + increment
                    w[k] -= m[k]
                } else {
                    w[k] -= increment
                }
            }
        }
    }
}
