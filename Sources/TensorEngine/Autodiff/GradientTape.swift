/// Records gradients with respect to a set of variables for the duration of one computation.
///
/// ```swift
/// let tape = GradientTape(watching: model.trainableVariables)
/// defer { tape.stop() }
/// let loss = try computeLoss()          // layers read `variable.value` as usual
/// let grads = tape.gradients(of: loss)  // one gradient per watched variable
/// ```
/// While the tape is active, each watched variable's `value` carries a leaf node, so every op that reads it
/// records its pullback. No global state is involved: stopping the tape detaches the variables again.
public final class GradientTape {
    /// The variables whose gradients `gradients(of:)` returns, in order.
    public let variables: [Variable]
    private let leaves: [GradNode]

    /// Starts watching `variables`.
    public init(watching variables: [Variable]) {
        self.variables = variables
        self.leaves = variables.map { $0.beginTracking() }
    }

    /// Stops recording: the variables' values no longer carry gradient nodes.
    public func stop() {
        for variable in variables { variable.endTracking() }
    }

    /// The gradient of the scalar `loss` (summed, if it has several elements) with respect to each watched
    /// variable; a variable the loss does not depend on gets zeros.
    public func gradients(of loss: Tensor) -> [Tensor] {
        let computed = Self.backpropagate(from: loss)
        return zip(leaves, variables).map { leaf, variable in
            computed[ObjectIdentifier(leaf)] ?? Tensor.zeros(variable.shape)
        }
    }

    /// Runs reverse-mode differentiation from `output` and returns the accumulated gradient of every leaf reached
    /// (watched variables and `Tensor.tracked` inputs).
    static func backpropagate(from output: Tensor) -> [ObjectIdentifier: Tensor] {
        guard let root = output.node else { return [:] }
        // Iterative post-order DFS gives a topological order without deep recursion.
        var order: [GradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(GradNode, Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while let (node, next) = stack.popLast() {
            if next < node.inputs.count {
                stack.append((node, next + 1))
                let child = node.inputs[next]
                if visited.insert(ObjectIdentifier(child)).inserted { stack.append((child, 0)) }
            } else {
                order.append(node)
            }
        }
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): Tensor.ones(root.shape)]
        for node in order.reversed() {
            guard !node.inputs.isEmpty, let grad = grads.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            // An inner node's gradient is dropped once used (only the leaves' are returned): less memory held, and
            // the buffers its pullback passes on are not shared with the table, so accumulating into them is in place.
            let inputGrads = node.pullback(grad)
            for (input, g) in zip(node.inputs, inputGrads) {
                let key = ObjectIdentifier(input)
                if grads[key] != nil { grads[key]!.accumulate(g) } else { grads[key] = g }
            }
        }
        return grads
    }
}

extension Tensor {
    /// The gradient of this (scalar) tensor with respect to each of `inputs`, which must be tracked tensors
    /// made with `Tensor.tracked(_:)`. Used by gradient checks and by code that differentiates plain functions.
    public func gradients(withRespectTo inputs: [Tensor]) -> [Tensor] {
        let computed = GradientTape.backpropagate(from: self)
        return inputs.map { input in
            input.node.flatMap { computed[ObjectIdentifier($0)] } ?? Tensor.zeros(input.shape)
        }
    }

    /// A copy of `tensor` that records gradients through every op applied to it.
    public static func tracked(_ tensor: Tensor) -> Tensor {
        Tensor(shape: tensor.shape, scalars: tensor.scalars, node: .leaf(shape: tensor.shape))
    }
}
