/// Row lookup (an embedding table) with a scatter-add gradient.
extension Tensor {
    /// The rows `indices` of the matrix `table` (`[rows, width]`), shaped `outerShape + [width]` (Keras's
    /// `Embedding`: integer ids → vectors). Gradients are added back into the rows they came from.
    /// - Precondition: every index is in `0..<table.shape[0]` (callers validate ids from data first).
    public static func gatherRows(of table: Tensor, indices: [Int], outerShape: [Int]) -> Tensor {
        precondition(table.rank == 2 && indices.count == outerShape.elementCount, "gatherRows: table \(table.shape), \(indices.count) indices for \(outerShape)")
        let width = table.shape[1]
        var out = [Float](repeating: 0, count: indices.count * width)
        table.scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (r, index) in indices.enumerated() {
                    precondition(index >= 0 && index < table.shape[0], "gatherRows: index \(index) out of range")
                    for j in 0..<width { dst[r * width + j] = src[index * width + j] }
                }
            }
        }
        let result = Tensor(shape: outerShape + [width], scalars: out)
        let tableShape = table.shape
        return .recorded(result, from: [table]) { grad, _ in
            var d = [Float](repeating: 0, count: tableShape.elementCount)
            grad.scalars.withUnsafeBufferPointer { g in
                for (r, index) in indices.enumerated() {
                    for j in 0..<width { d[index * width + j] += g[r * width + j] }
                }
            }
            return [Tensor(shape: tableShape, scalars: d)]
        }
    }
}
