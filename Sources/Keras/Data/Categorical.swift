/// Keras's `keras.utils.to_categorical`: class ids (shape `[n]`) to one-hot rows (shape `[n, numClasses]`).
/// - Throws: `ShapeError` for an id outside `0..<numClasses`.
public func toCategorical(_ labels: Tensor, numClasses: Int) throws -> Tensor {
    try Loss.oneHot(labels.reshaped(to: [labels.count]), classes: numClasses)
}
