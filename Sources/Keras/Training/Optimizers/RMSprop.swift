/// Keras's `RMSprop`.
///
/// `v ← ρ·v + (1−ρ)·g²`; centered: `a ← ρ·a + (1−ρ)·g` and the denominator is `v − a² + ε`, else `v + ε`
/// (ε inside the square root); `inc = lr·g / √denominator`; with momentum `m ← μ·m + inc`, `θ ← θ − m`,
/// else `θ ← θ − inc`. Slots are grouped by kind: all velocities, then momentums, then average gradients.
public final class RMSprop: Optimizer {
    public let rho: Float
    public let momentum: Float
    public let epsilon: Float
    public let centered: Bool
    private var velocities: [Variable] = []
    private var momentums: [Variable] = []
    private var averageGradients: [Variable] = []

    /// Keras's defaults: `learning_rate=0.001`, `rho=0.9`, `momentum=0.0`, `epsilon=1e-7`, `centered=False`.
    public init(learningRate: Float = 0.001, rho: Float = 0.9, momentum: Float = 0, epsilon: Float = 1e-7,
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
        let lr = learningRate, rho = self.rho, eps = epsilon
        var v: [Float] = []
        velocities[index].update { slot in
            for k in 0..<slot.count { slot[k] = rho * slot[k] + (1 - rho) * g[k] * g[k] }
            v = slot
        }
        var denominator = v.map { $0 + eps }
        if centered {
            averageGradients[index].update { a in
                for k in 0..<a.count {
                    a[k] = rho * a[k] + (1 - rho) * g[k]
                    denominator[k] = v[k] - a[k] * a[k] + eps
                }
            }
        }
        var increment = [Float](repeating: 0, count: g.count)
        for k in 0..<g.count { increment[k] = lr * g[k] / denominator[k].squareRoot() }
        if momentum > 0 {
            let mu = momentum
            var m: [Float] = []
            momentums[index].update { slot in
                for k in 0..<slot.count { slot[k] = mu * slot[k] + increment[k] }
                m = slot
            }
            increment = m
        }
        variable.update { w in for k in 0..<w.count { w[k] -= increment[k] } }
    }
}
