/// One recorded operation in the gradient graph: the tracked inputs it read and the rule that turns the
/// gradient of its output into gradients of those inputs (a pullback).
///
/// Nodes are created by `Tensor.recorded(…)` only when at least one input is tracked. Leaf nodes (no inputs)
/// stand for watched variables.
public final class GradNode: @unchecked Sendable {
    /// The nodes of the tracked inputs, in the order the pullback returns their gradients.
    let inputs: [GradNode]
    /// Maps the output's gradient to one gradient per entry of `inputs`.
    let pullback: (Tensor) -> [Tensor]
    /// The shape of the output this node produced.
    let shape: [Int]

    init(shape: [Int], inputs: [GradNode], pullback: @escaping (Tensor) -> [Tensor]) {
        self.shape = shape
        self.inputs = inputs
        self.pullback = pullback
    }

    /// A node with no inputs, standing for a variable whose gradient is wanted.
    static func leaf(shape: [Int]) -> GradNode {
        GradNode(shape: shape, inputs: [], pullback: { _ in [] })
    }
}

extension Tensor {
    /// Attaches a gradient rule to `result`, computed from `inputs`.
    ///
    /// `pullback` receives the gradient of `result` and returns the gradient for *each tracked* input, in the
    /// order they appear in `inputs` (untracked inputs are skipped, so their gradients are never computed). When
    /// no input is tracked the result is returned untouched and no node is made.
    static func recorded(_ result: Tensor, from inputs: [Tensor],
                         pullback: @escaping (_ grad: Tensor, _ tracked: [Bool]) -> [Tensor]) -> Tensor {
        let tracked = inputs.map(\.isTracked)
        guard tracked.contains(true) else { return result }
        let parents = inputs.compactMap(\.node)
        let node = GradNode(shape: result.shape, inputs: parents) { grad in pullback(grad, tracked) }
        return Tensor(shape: result.shape, scalars: result.scalars, node: node)
    }
}
