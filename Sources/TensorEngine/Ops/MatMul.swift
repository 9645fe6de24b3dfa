import CBLAS

/// Matrix products through OpenBLAS's `cblas_sgemm`.
extension Tensor {
    /// The matrix product of two rank-2 tensors, optionally transposing either operand first. Transposes are
    /// handled by GEMM's flags, never materialised.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs two matrices, got shapes \(a.shape) and \(b.shape)")
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (k2, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(k == k2, "matmul shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "") do not agree")
        var out = [Float](repeating: 0, count: m * n)
        if m > 0 && n > 0 && k > 0 {
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    out.withUnsafeMutableBufferPointer { pc in
                        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                                    transposeB ? CblasTrans : CblasNoTrans,
                                    Int32(m), Int32(n), Int32(k), 1,
                                    pa.baseAddress, Int32(a.shape[1]), pb.baseAddress, Int32(b.shape[1]),
                                    0, pc.baseAddress, Int32(n))
                    }
                }
            }
        }
        let result = Tensor(shape: [m, n], scalars: out)
        return .recorded(result, from: [a, b]) { g, tracked in
            var grads: [Tensor] = []
            let (ad, bd) = (a.detached, b.detached)
            if tracked[0] {
                // d(op(A)) = G·op(B)ᵀ; undo the transpose of A by swapping the operands' roles.
                grads.append(transposeA ? matmul(bd, g, transposeA: transposeB, transposeB: true)
                                        : matmul(g, bd, transposeB: !transposeB))
            }
            if tracked[1] {
                grads.append(transposeB ? matmul(g, ad, transposeA: true, transposeB: transposeA)
                                        : matmul(ad, g, transposeA: !transposeA))
            }
            return grads
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
