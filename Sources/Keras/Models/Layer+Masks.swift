import TensorEngine

extension Layer {
    /// Runs the layer on `inputs` carrying `mask` and returns its output with the mask the output carries (Keras's
    /// `Layer.__call__` reading `_keras_mask` and setting it on the output). A nested model hands the mask to its
    /// first layers and returns the mask its own last layer computed.
    func callCarryingMask(_ inputs: Tensor, mask: Tensor?, training: Bool) throws -> (output: Tensor, mask: Tensor?) {
        if let model = self as? Model { return try model.calledAsLayer([inputs], masks: [mask], training: training) }
        let output = try self(inputs, mask: mask, training: training)
        return (output, try computeMask(inputs, previousMask: mask))
    }
}
