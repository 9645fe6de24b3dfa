/// Matrix products (through `GEMM`).
extension Tensor {
    /// The matrix product of two rank-2 tensors, optionally transposing either operand first. Transposes are
    /// handled by GEMM's flags, never materialised.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs two matrices, got shapes \(a.shape) and \(b.shape)")
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (k2, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(k == k2, "matmul shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "") do not agree")
        let out = [Float](unsafeUninitializedCapacity: m * n) { pc, initialized in
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    if let c = pc.baseAddress, let pa = pa.baseAddress, let pb = pb.baseAddress {
                        GEMM.multiply(m: m, n: n, k: k, pa, lda: a.shape[1], transposeA: transposeA,
                                      pb, ldb: b.shape[1], transposeB: transposeB, into: c, ldc: n)
                    } else if let c = pc.baseAddress {
                        c.initialize(repeating: 0, count: m * n)   // k == 0: an empty sum
                    }
                }
            }
            initialized = m * n
        }
        let result = Tensor(shape: [m, n], scalars: out)
        return .recorded(result, from: [a, b]) { g, tracked in
            let (ad, bd) = (a.detached, b.detached)
            // d(op(A)) = G·op(B)ᵀ; undo the transpose of A by swapping the operands' roles. Likewise for B.
            let gradientA = { transposeA ? matmul(bd, g, transposeA: transposeB, transposeB: true) : matmul(g, bd, transposeB: !transposeB) }
            let gradientB = { transposeB ? matmul(g, ad, transposeA: true, transposeB: transposeA) : matmul(ad, g, transposeA: !transposeA) }
            switch (tracked[0], tracked[1]) {
            case (true, true) where m * n * k >= 1 << 18:
                // Two independent products: one per core (each GEMM alone on its core runs faster than both
                // split in two, and the cores meet once instead of twice).
                var (da, db) = (Tensor(0), Tensor(0))
                GEMMClock.counting { Parallel.both({ da = gradientA() }, { db = gradientB() }) }
                return [da, db]
            case (true, true): return [gradientA(), gradientB()]
            case (true, false): return [gradientA()]
            case (false, true): return [gradientB()]
            case (false, false): return []
            }
        }
    }

    /// The product of this tensor with a matrix, contracting this tensor's last axis (Keras's `matmul` for a
    /// Dense kernel: inputs of rank > 2 keep their leading axes).
    public func matmul(_ matrix: Tensor) -> Tensor {
        if rank == 2 { return Tensor.matmul(self, matrix) }
        precondition(rank >= 1 && matrix.rank == 2, "matmul of shapes \(shape) and \(matrix.shape)")
        let flat = reshaped(to: [count / Swift.max(shape[rank - 1], 1), shape[rank - 1]])
        return Tensor.matmul(flat, matrix).reshaped(to: Array(shape.dropLast()) + [matrix.shape[1]])
    }
}
