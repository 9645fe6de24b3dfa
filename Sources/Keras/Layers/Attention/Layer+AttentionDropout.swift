import TensorEngine

extension Layer {
    /// Attention weights after dropout at `rate` (Keras's `backend.random.dropout` / inner `Dropout` layer): in
    /// training, each weight is zeroed with probability `rate` and the rest scaled by `1 / (1 − rate)`; otherwise
    /// unchanged.
    func droppingOut(_ weights: Tensor, rate: Double, training: Bool) -> Tensor {
        guard training, rate > 0 else { return weights }
        if rate >= 1 { return weights * 0 }
        return weights * rng.dropoutMask(shape: weights.shape, keepProbability: Float(1 - rate))
    }
}
