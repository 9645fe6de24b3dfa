import Foundation
import TensorEngine

/// The base of Keras's optimizers (keras/src/optimizers/base_optimizer.py): gradient clipping, weight decay,
/// one update rule per variable, and the iteration count.
///
/// `apply(_:to:)` follows Keras's order: clip (`clipnorm` per tensor, else `global_clipnorm`, else `clipvalue`),
/// decay weights (`θ ← θ − θ·wd·lr`), update each variable, then count the iteration. Slot variables are created
/// by `build(_:)` in Keras's order, which is the order of `optimizer/vars/2…` in a weights file.
open class Optimizer {
    /// The optimizer's name (`rm_sprop`, `adam`, `sgd`, …); saved as the `name` of `optimizer/vars`.
    public let name: String
    /// The learning rate of the next update: a float32 variable in Keras, or, with a `schedule`, the schedule's
    /// value at `iterations` (set before each update).
    public var learningRate: Float
    /// A learning-rate schedule evaluated at `iterations` before each update (Keras's `learning_rate=` schedule);
    /// `nil` for a fixed `learningRate`. With a schedule Keras keeps no learning-rate variable.
    public var schedule: (any LearningRateSchedule)? {
        didSet { if let schedule { learningRate = schedule(iterations) } }
    }
    /// How many updates have been applied (Keras's `optimizer.iterations`).
    public var iterations: Int = 0
    /// Rescales each gradient tensor whose L2 norm exceeds this.
    public var clipnorm: Float?
    /// Rescales all gradients together when their global L2 norm exceeds this.
    public var globalClipnorm: Float?
    /// Clips each gradient element to `[-clipvalue, clipvalue]`.
    public var clipvalue: Float?
    /// Decoupled weight decay, if set.
    public var weightDecay: Float?
    /// The variables the optimizer was built for (the model's trainable variables).
    public private(set) var builtVariables: [Variable] = []

    /// The Keras class name (`RMSprop`, `Adam` …).
    open class var kerasClassName: String { String(describing: self) }

    /// Sets the base hyperparameters; `name` defaults to Keras's `auto_name` (snake_case of the class name).
    public init(learningRate: Float, name: String? = nil, clipnorm: Float? = nil, globalClipnorm: Float? = nil,
                clipvalue: Float? = nil, weightDecay: Float? = nil) {
        self.learningRate = learningRate
        self.name = name ?? snakeCase(Self.kerasClassName)
        self.clipnorm = clipnorm
        self.globalClipnorm = globalClipnorm
        self.clipvalue = clipvalue
        self.weightDecay = weightDecay
    }

    /// Sets a fixed learning rate, as Keras's `optimizer.learning_rate = …` (callbacks use it). Like Keras, an
    /// optimizer created with a schedule refuses it.
    public func setLearningRate(_ rate: Float) throws {
        guard schedule == nil else {
            throw TrainingError("this optimizer's learning rate follows a schedule (\(schedule!.kerasClassName)); it cannot be set to a number")
        }
        learningRate = rate
    }

    /// Whether `build(_:)` has run.
    public var isBuilt: Bool { !builtVariables.isEmpty }

    /// Creates the slot variables for `variables`, once.
    public func build(_ variables: [Variable]) {
        guard !isBuilt else { return }
        builtVariables = variables
        createSlots(for: variables)
    }

    /// Subclasses create their slots here, in Keras's order.
    open func createSlots(for variables: [Variable]) {}

    /// The slot variables in Keras's order (everything after `iteration` and `learning_rate`).
    open var slotVariables: [Variable] { [] }

    /// Makes one zero slot per variable, named like Keras's (`<variable>_<slot>`).
    public func makeSlots(_ slot: String, for variables: [Variable]) -> [Variable] {
        variables.map { Variable(Tensor.zeros($0.shape), name: "\($0.name)_\(slot)", trainable: false) }
    }

    /// Runs `body` with in-place access to the elements of every variable in `variables` (in that order), so an
    /// update rule can touch a weight and its slots in one loop without copies.
    /// Variables without elements are skipped (their buffers have no base address and nothing to update).
    public func withMutableBuffers(_ variables: [Variable], _ body: ([UnsafeMutableBufferPointer<Float>]) -> Void) {
        guard variables.allSatisfy({ $0.shape.elementCount > 0 }) else { return }
        func nest(_ i: Int, _ buffers: [UnsafeMutableBufferPointer<Float>]) {
            guard i < variables.count else { return body(buffers) }
            variables[i].withUnsafeMutableBufferPointer { nest(i + 1, buffers + [$0]) }
        }
        nest(0, [])
    }

    /// The update rule for variable number `index` with `gradient` (already clipped).
    open func update(_ variable: Variable, index: Int, gradient: [Float]) {}

    /// The update rule for every variable of a step (`index` is each one's position in `builtVariables`). By
    /// default one `update(_:index:gradient:)` per variable; optimizers with an elementwise rule override it to
    /// update all variables in one parallel pass (`UpdateRules`).
    open func update(_ updates: [(variable: Variable, index: Int, gradient: [Float])]) {
        for u in updates { update(u.variable, index: u.index, gradient: u.gradient) }
    }

    /// Runs `body` with each variable's buffers (`group(index)`: the variable and its slots, in the order the rule
    /// expects) and its gradient, for every update with elements: what an `UpdateRules` pass needs.
    public func withSegmentBuffers(_ updates: [(variable: Variable, index: Int, gradient: [Float])],
                                   group: (Variable, Int) -> [Variable],
                                   _ body: (_ buffers: [[UnsafeMutablePointer<Float>]], _ gradients: [UnsafeBufferPointer<Float>]) -> Void) {
        let nonEmpty = updates.filter { !$0.gradient.isEmpty }
        let groups = nonEmpty.map { group($0.variable, $0.index) }
        let width = groups.first?.count ?? 0
        withMutableBuffers(groups.flatMap { $0 }) { flat in
            func nest(_ i: Int, _ gradients: [UnsafeBufferPointer<Float>]) {
                guard i < nonEmpty.count else {
                    return body((0..<nonEmpty.count).map { j in flat[(j * width)..<((j + 1) * width)].map { $0.baseAddress! } }, gradients)
                }
                nonEmpty[i].gradient.withUnsafeBufferPointer { nest(i + 1, gradients + [$0]) }
            }
            nest(0, [])
        }
    }

    /// Applies one step of gradients to `variables` (building the optimizer on first use).
    public func apply(_ gradients: [Tensor], to variables: [Variable]) {
        build(variables)
        if let schedule { learningRate = schedule(iterations) }
        var grads = gradients.map(\.scalars)
        clip(&grads)
        let index = Dictionary(uniqueKeysWithValues: builtVariables.enumerated().map { (ObjectIdentifier($1), $0) })
        var updates: [(variable: Variable, index: Int, gradient: [Float])] = []
        for (variable, gradient) in zip(variables, grads) {
            guard let i = index[ObjectIdentifier(variable)] else { continue }
            if let wd = weightDecay {   // decoupled decay, then the rule (each variable on its own: order kept)
                let lr = learningRate
                variable.update { w in for k in 0..<w.count { w[k] = w[k] - w[k] * wd * lr } }
            }
            updates.append((variable, i, gradient))
        }
        update(updates)
        iterations += 1
        if let schedule { learningRate = schedule(iterations) }   // Keras's `learning_rate` reads the schedule now
    }

    private func clip(_ grads: inout [[Float]]) {
        func norm(_ g: [Float]) -> Float { g.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        if let c = clipnorm, c > 0 {
            for i in grads.indices {
                let n = norm(grads[i])
                if n > 0 { let m = max(n, c); grads[i] = grads[i].map { $0 * c / m } }
            }
        } else if let c = globalClipnorm, c > 0 {
            let global = grads.reduce(0) { $0 + norm($1) * norm($1) }.squareRoot()
            let scale = c * min(1 / global, 1 / c)
            grads = grads.map { $0.map { $0 * scale } }
        } else if let c = clipvalue, c > 0 {
            grads = grads.map { $0.map { min(max($0, -c), c) } }
        }
    }
}
