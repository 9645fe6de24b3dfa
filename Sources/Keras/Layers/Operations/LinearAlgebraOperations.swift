import TensorEngine

/// Products of tensors: `ops.matmul(a, b)` (and, later, `einsum`, `tensordot`).
extension KerasOperation {
    static let linearAlgebraOperations: [String: Builder] = [
        "Matmul": { op in
            op.single { args in
                try op.expect(args, 2)
                return try batchedMatmul(op.tensor(args[0]), op.tensor(args[1]), op)
            }
        },
    ]

    /// `a · b` over the last two axes, with leading axes matching (Keras's `ops.matmul` for equal batch shapes).
    private static func batchedMatmul(_ a: Tensor, _ b: Tensor, _ op: OperationConfig) throws -> Tensor {
        guard a.rank >= 2, b.rank >= 2, a.shape[a.rank - 1] == b.shape[b.rank - 2] else {
            throw op.error("cannot multiply shapes \(a.shape) and \(b.shape)")
        }
        if b.rank == 2 { return a.matmul(b) }
        guard a.rank == b.rank, a.shape.dropLast(2) == b.shape.dropLast(2) else {
            throw op.error("batched matmul needs the same leading axes, got \(a.shape) and \(b.shape)")
        }
        let lead = Array(a.shape.dropLast(2))
        let count = lead.reduce(1, *)
        let (m, k, n) = (a.shape[a.rank - 2], a.shape[a.rank - 1], b.shape[b.rank - 1])
        return Tensor.batchMatmul(a.reshaped(to: [count, m, k]), b.reshaped(to: [count, k, n])).reshaped(to: lead + [m, n])
    }
}
