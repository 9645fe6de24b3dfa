/// Batched matrix products (Keras's `matmul` of rank-3 tensors, `batch_dot`; attention scores and mixing).
extension Tensor {
    /// The product of each matrix of `a` `[batch, m, k]` with the matching matrix of `b` `[batch, k, n]` →
    /// `[batch, m, n]`, optionally transposing either operand's matrices (GEMM flags, never materialised). The
    /// batch's products are spread over the cores, each one GEMM.
    public static func batchMatmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0],
                     "batchMatmul needs two rank-3 tensors with the same batch, got shapes \(a.shape) and \(b.shape)")
        let batch = a.shape[0]
        let (m, k) = transposeA ? (a.shape[2], a.shape[1]) : (a.shape[1], a.shape[2])
        let (k2, n) = transposeB ? (b.shape[2], b.shape[1]) : (b.shape[1], b.shape[2])
        precondition(k == k2, "batchMatmul shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "") do not agree")
        let (aSize, bSize, cSize) = (a.shape[1] * a.shape[2], b.shape[1] * b.shape[2], m * n)
        let out = Kernels.make(batch * cSize) { c in
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    guard k > 0, let pa = pa.baseAddress, let pb = pb.baseAddress else {
                        c.initialize(repeating: 0, count: batch * cSize)   // an empty sum
                        return
                    }
                    Parallel.forEachChunk(batch, grain: Swift.max(1, (1 << 16) / Swift.max(m * n * k, 1))) { items in
                        for i in items {
                            GEMM.multiply(m: m, n: n, k: k, pa + i * aSize, lda: a.shape[2], transposeA: transposeA,
                                          pb + i * bSize, ldb: b.shape[2], transposeB: transposeB, into: c + i * cSize, ldc: n)
                        }
                    }
                }
            }
        }
        let result = Tensor(shape: [batch, m, n], scalars: out)
        return .recorded(result, from: [a, b]) { g, tracked in
            let (ad, bd) = (a.detached, b.detached)
            // As for matmul: d(op(A)) = G·op(B)ᵀ and d(op(B)) = op(A)ᵀ·G, undoing each operand's transpose.
            var grads: [Tensor] = []
            if tracked[0] {
                grads.append(transposeA ? batchMatmul(bd, g, transposeA: transposeB, transposeB: true)
                                        : batchMatmul(g, bd, transposeB: !transposeB))
            }
            if tracked[1] {
                grads.append(transposeB ? batchMatmul(g, ad, transposeA: true, transposeB: transposeA)
                                        : batchMatmul(ad, g, transposeA: !transposeA))
            }
            return grads
        }
    }
}
