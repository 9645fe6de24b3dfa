import TensorEngine

/// The outputs of `predict`, filled batch by batch, from several threads at once: each batch writes only its own
/// rows, into buffers allocated once for all rows.
final class PredictionRows: @unchecked Sendable {
    private let shapes: [[Int]]
    private let buffers: [UnsafeMutableBufferPointer<Float>]

    /// Room for `totalRows` samples of each output, with `outputs` (the first batch's) written at row 0.
    init(outputs: [Tensor], totalRows: Int) {
        shapes = outputs.map { [totalRows] + $0.shape.dropFirst() }
        buffers = shapes.map { .allocate(capacity: $0.elementCount) }
        write(outputs, at: 0)
    }

    deinit { buffers.forEach { $0.deallocate() } }

    /// Writes one batch's outputs at `row`; batches written at once must not overlap.
    func write(_ outputs: [Tensor], at row: Int) {
        for (index, (output, buffer)) in zip(outputs, buffers).enumerated() {
            let width = shapes[index].dropFirst().elementCount
            precondition(Array(output.shape.dropFirst()) == Array(shapes[index].dropFirst())
                         && (row + output.shape[0]) * width <= buffer.count,
                         "predict: output \(index + 1) of a batch has shape \(output.shape), expected rows of \(shapes[index])")
            output.scalars.withUnsafeBufferPointer { source in
                guard let from = source.baseAddress, let to = buffer.baseAddress else { return }
                (to + row * width).initialize(from: from, count: source.count)
            }
        }
    }

    /// The filled outputs.
    var tensors: [Tensor] { zip(shapes, buffers).map { Tensor(shape: $0, scalars: Array($1)) } }
}
