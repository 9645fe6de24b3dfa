import TensorEngine

/// Products of tensors: `ops.matmul(a, b)`, `ops.einsum(subscripts, *operands)`, `ops.tensordot(a, b, axes)`.
extension KerasOperation {
    static let linearAlgebraOperations: [String: Builder] = [
        "Matmul": { op in
            op.single { args in
                try op.expect(args, 2)
                return try batchedMatmul(op.tensor(args[0]), op.tensor(args[1]), op)
            }
        },
        "Einsum": { op in
            let subscripts = op.reader.require("subscripts", as: String.self)
            return op.single { args in try Tensor.einsum(subscripts, args.map(op.tensor)) }
        },
        "Tensordot": { op in
            let axes = op.reader.object["axes"] ?? .int(2)
            return op.single { args in
                try op.expect(args, 2)
                let (a, b) = (try op.tensor(args[0]), try op.tensor(args[1]))
                return try Tensor.einsum(try tensordotEquation(axes, ranks: (a.rank, b.rank), op), a, b)
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

    /// The einsum equation of `np.tensordot(a, b, axes)`: `axes` is N (a's last N axes against b's first N) or a
    /// pair of axis lists; the result has a's free axes, then b's.
    private static func tensordotEquation(_ axes: JSON, ranks: (Int, Int), _ op: OperationConfig) throws -> String {
        let pairs: ([Int], [Int])
        if let n = axes.intValue {
            guard n >= 0, n <= min(ranks.0, ranks.1) else { throw op.error("axes=\(n) does not fit tensors of rank \(ranks.0) and \(ranks.1)") }
            pairs = (Array((ranks.0 - n)..<ranks.0), Array(0..<n))
        } else if let two = axes.arrayValue, two.count == 2 {
            let list = { (j: JSON) -> [Int]? in j.intValue.map { [$0] } ?? j.arrayValue?.compactMap(\.intValue) }
            guard let first = list(two[0]), let second = list(two[1]), first.count == second.count else {
                throw op.error("axes must be an integer or two lists of the same length, found \(axes.brief)")
            }
            pairs = (first.map { $0 < 0 ? $0 + ranks.0 : $0 }, second.map { $0 < 0 ? $0 + ranks.1 : $0 })
        } else {
            throw op.error("axes must be an integer or two lists of the same length, found \(axes.brief)")
        }
        guard pairs.0.allSatisfy({ (0..<ranks.0).contains($0) }), pairs.1.allSatisfy({ (0..<ranks.1).contains($0) }) else {
            throw op.error("axes \(axes.brief) do not fit tensors of rank \(ranks.0) and \(ranks.1)")
        }
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        guard ranks.0 + ranks.1 <= letters.count else { throw op.error("tensors of rank \(ranks.0) and \(ranks.1) are too large") }
        let a = (0..<ranks.0).map { letters[$0] }
        var b = (0..<ranks.1).map { letters[ranks.0 + $0] }
        for (i, j) in zip(pairs.0, pairs.1) { b[j] = a[i] }
        let free = a.enumerated().filter { !pairs.0.contains($0.offset) }.map(\.element)
            + b.enumerated().filter { !pairs.1.contains($0.offset) }.map(\.element)
        return String(a) + "," + String(b) + "->" + String(free)
    }
}
