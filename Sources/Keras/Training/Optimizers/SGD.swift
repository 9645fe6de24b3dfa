/// Keras's `SGD`: plain, momentum or Nesterov gradient descent.
///
/// With momentum: `m ← momentum·m − lr·g`, then `θ ← θ + m` (Nesterov: `θ ← θ + momentum·m − lr·g`).
public final class SGD: Optimizer {
    /// The momentum (0 for plain gradient descent).
    public let momentum: Double
    /// Whether Nesterov momentum is used.
    public let nesterov: Bool
    private var momentums: [Variable] = []

    /// Keras's defaults: `learning_rate=0.01`, `momentum=0.0`, `nesterov=False`.
    public init(learningRate: Float = 0.01, momentum: Double = 0, nesterov: Bool = false, name: String? = nil,
                clipnorm: Float? = nil, globalClipnorm: Float? = nil, clipvalue: Float? = nil, weightDecay: Float? = nil) {
        self.momentum = momentum
        self.nesterov = nesterov
        super.init(learningRate: learningRate, name: name, clipnorm: clipnorm, globalClipnorm: globalClipnorm,
                   clipvalue: clipvalue, weightDecay: weightDecay)
    }

    /// Creates a `momentum` slot per variable when momentum is used.
    public override func createSlots(for variables: [Variable]) {
        if momentum != 0 { momentums = makeSlots("momentum", for: variables) }
    }

    /// The momentum slots, one per variable (none without momentum).
    public override var slotVariables: [Variable] { momentums }

    /// Keras's SGD update of one variable.
    public override func update(_ variable: Variable, index: Int, gradient: [Float]) {
        let lr = learningRate, mu = Float(momentum), nesterov = self.nesterov
        gradient.withUnsafeBufferPointer { g in
            guard !g.isEmpty else { return }
            guard momentum != 0 else {
                variable.withUnsafeMutableBufferPointer { w in Parallel.forEachChunk(g.count) { range in for k in range { w[k] -= g[k] * lr } } }
                return
            }
            withMutableBuffers([variable, momentums[index]]) { b in
                let (w, m) = (b[0].baseAddress!, b[1].baseAddress!)
                if nesterov {
                    Parallel.forEachChunk(g.count) { range in for k in range { m[k] = m[k] * mu - g[k] * lr; w[k] += m[k] * mu - g[k] * lr } }
                } else {
                    Parallel.forEachChunk(g.count) { range in for k in range { m[k] = m[k] * mu - g[k] * lr; w[k] += m[k] } }
                }
            }
        }
    }
}
