import CDNNL
import CMatMul
import CThreadPool

/// Single-precision matrix products, the engine's one GEMM: oneDNN matmul primitives, one per shape, which
/// JIT-compile their kernel for the instruction set found at run time (AVX2, AVX-512 …), so a CPU newer than the
/// installed library still gets its own kernels (`CMatMul`). A large product is split into blocks of rows (or
/// columns) that `Parallel`'s pool runs at once, each a single-threaded oneDNN call.
///
/// oneDNN was chosen by measurement (`tools/gemm_floor.c`, in the README): on the seed model's step shapes its
/// sgemm ran 261 GFLOP/s where Debian's OpenBLAS 0.3.21 ran 54 (generic kernels on a CPU it does not know), 158
/// with its kernel forced, and BLIS 0.9 131. Its matmul primitives run as fast as its sgemm on those shapes and
/// compile only the kernel a shape needs (under a millisecond) where sgemm compiles all of its kernels at the
/// first product (40–75 ms).
public enum GEMM {
    /// `C ← alpha·op(A)·op(B) + beta·C` for row-major `op(A)` of `m×k`, `op(B)` of `k×n` and `C` of `m×n` with
    /// leading dimensions `lda`, `ldb`, `ldc`. With `beta == 0`, `C` may hold anything (it is not read).
    public static func multiply(m: Int, n: Int, k: Int,
                                _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
                                _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
                                into c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {   // an empty sum: C is beta·C
            for row in 0..<m { for j in 0..<n { c[row * ldc + j] = beta == 0 ? 0 : beta * c[row * ldc + j] } }
            return
        }
        GEMMClock.counting {
            split(m: m, n: n, k: k, a, lda: lda, transposeA: transposeA, b, ldb: ldb, transposeB: transposeB,
                  into: c, ldc: ldc, alpha: alpha, beta: beta)
        }
    }

    /// `multiply` for `m, n, k > 0`: one oneDNN call, or blocks of it on the pool's threads.
    private static func split(m: Int, n: Int, k: Int,
                              _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                              _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                              into c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
        // One block of C's rows per thread, in multiples of 16, from 32 rows; shorter products run on the calling
        // thread alone. A row block reads only its rows of op(A), which the calling thread has usually just written
        // (an activation), and writes whole rows of C, so the operands stay dense: oneDNN runs the same (brgemm)
        // kernel on a block as on the whole product, and a row gets the same bits however the rows are batched or
        // split (`ConcurrentInferenceTests` predicts with batches of 7, 64, 128 and 500). Column blocks would write
        // strided columns of C, which oneDNN serves with its sgemm kernels: other bits for the same rows, and all of
        // sgemm's kernels compiled at the first such product (40–75 ms). Measured: the MNIST LSTM's recurrent
        // product (128 × 512) in column blocks on sgemm ran its epochs 0–6 % faster, within this machine's noise.
        let blocks = m >= 32 && 2 * m * n * k >= splitFlops ? Swift.min(Parallel.threadCount, m / 16) : 1
        guard blocks > 1, sk_pool_inside() == 0 else {
            product(m: m, n: n, k: k, a, lda: lda, transposeA: transposeA, b, ldb: ldb, transposeB: transposeB,
                    into: c, ldc: ldc, alpha: alpha, beta: beta)
            return
        }
        let per = ((m + blocks - 1) / blocks + 15) & ~15
        Parallel.run((m + per - 1) / per) { block in
            // rows of op(A): rows of A, or columns of A when it is transposed
            let start = block * per, count = Swift.min(m, start + per) - start
            product(m: count, n: n, k: k, a + (transposeA ? start : start * lda), lda: lda, transposeA: transposeA,
                    b, ldb: ldb, transposeB: transposeB, into: c + start * ldc, ldc: ldc, alpha: alpha, beta: beta)
        }
    }

    /// Products smaller than this many floating-point operations run on the calling thread alone.
    static let splitFlops = 1 << 20

    /// One oneDNN call on the calling thread (`CMatMul`).
    private static func product(m: Int, n: Int, k: Int,
                                _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                                _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                                into c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
        let status = sk_matmul(m, n, k, a, lda, transposeA ? 1 : 0, b, ldb, transposeB ? 1 : 0, c, ldc, alpha, beta)
        precondition(status == 0, "oneDNN's matrix product failed (status \(status)) for m \(m), n \(n), k \(k)")
    }

    /// The library, the kernel a typical product runs and the instruction set oneDNN uses on this CPU, e.g.
    /// `oneDNN 2.6.3 matmul brg:avx512_core (avx512_core_amx)`.
    public static var kernel: String {
        let v = dnnl_version().pointee
        return "oneDNN \(v.major).\(v.minor).\(v.patch) matmul \(String(cString: sk_matmul_implementation())) (\(isaName))"
    }

    /// The instruction-set level oneDNN's kernels use here (`avx2`, `avx512_core`, … or `sse41` when generic).
    public static var isaName: String {
        let isa = dnnl_get_effective_cpu_isa()
        let names: [(dnnl_cpu_isa_t, String)] = [
            (dnnl_cpu_isa_avx512_core_amx, "avx512_core_amx"), (dnnl_cpu_isa_avx512_core_bf16, "avx512_core_bf16"),
            (dnnl_cpu_isa_avx512_core_vnni, "avx512_core_vnni"), (dnnl_cpu_isa_avx512_core, "avx512_core"),
            (dnnl_cpu_isa_avx2_vnni, "avx2_vnni"), (dnnl_cpu_isa_avx2, "avx2"), (dnnl_cpu_isa_avx, "avx"),
            (dnnl_cpu_isa_sse41, "sse41"),
        ]
        return names.first { $0.0 == isa }?.1 ?? "isa 0x\(String(isa.rawValue, radix: 16))"
    }

    /// Whether the kernels use at least AVX2 (vector FMA): false means generic SSE kernels.
    public static var usesVectorFMA: Bool {
        let isa = dnnl_get_effective_cpu_isa().rawValue
        return isa & dnnl_cpu_isa_avx2.rawValue == dnnl_cpu_isa_avx2.rawValue
    }
}
