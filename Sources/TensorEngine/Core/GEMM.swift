import CDNNL
import CThreadPool

/// Single-precision matrix products, the engine's one GEMM: oneDNN's `dnnl_sgemm`, which JIT-compiles its kernels
/// for the instruction set it finds at run time (AVX2, AVX-512 …), so a CPU newer than the installed library still
/// gets its own kernels. A large product is split into blocks of rows (or columns) that `Parallel`'s pool runs at
/// once, each a single-threaded oneDNN call.
///
/// oneDNN was chosen by measurement (`tools/gemm_floor.c`, in the README): on the seed model's step shapes it ran
/// 261 GFLOP/s where Debian's OpenBLAS 0.3.21 ran 54 (generic kernels on a CPU it does not know), 158 with its
/// kernel forced, and BLIS 0.9 131.
public enum GEMM {
    /// `C ← alpha·op(A)·op(B) + beta·C` for row-major `op(A)` of `m×k`, `op(B)` of `k×n` and `C` of `m×n` with
    /// leading dimensions `lda`, `ldb`, `ldc`. With `beta == 0`, `C` may hold anything (it is not read).
    public static func multiply(m: Int, n: Int, k: Int,
                                _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
                                _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
                                into c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0) {
        guard m > 0, n > 0 else { return }
        _ = configured
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
        let blocks = 2 * m * n * k >= splitFlops ? Swift.min(Parallel.threadCount, Swift.max(m, n) / 16) : 1
        guard blocks > 1, sk_pool_inside() == 0 else {
            sgemm(m: m, n: n, k: k, a, lda: lda, transposeA: transposeA, b, ldb: ldb, transposeB: transposeB,
                  into: c, ldc: ldc, alpha: alpha, beta: beta)
            return
        }
        // One block of C's rows per thread, in multiples of 16, unless C is much wider than tall (then columns).
        // A row block reads only its rows of op(A), which the calling thread has usually just written (an
        // activation), but all of op(B) (usually weights); a column block reads all of op(A) and its columns of
        // op(B). Moving freshly written rows to the other core costs about as much as packing B twice: the seed
        // model's forward products (128 × 256 from 784 or 512) took 7 % less time in row blocks (0.257 against
        // 0.277 s per epoch, medians of 20 epochs, `KERAS_PROFILE=1`, alternating runs, 2026-12-01; the epoch as a
        // whole within the noise), while the MNIST LSTM's recurrent product (128 × 512) ran as fast in columns.
        let splitRows = m * 2 >= n && m >= 32
        let length = splitRows ? m : n
        let per = ((length + blocks - 1) / blocks + 15) & ~15
        Parallel.run((length + per - 1) / per) { block in
            let start = block * per, count = Swift.min(length, start + per) - start
            if splitRows {   // rows of op(A): rows of A, or columns of A when it is transposed
                sgemm(m: count, n: n, k: k, a + (transposeA ? start : start * lda), lda: lda, transposeA: transposeA,
                      b, ldb: ldb, transposeB: transposeB, into: c + start * ldc, ldc: ldc, alpha: alpha, beta: beta)
            } else {         // columns of op(B): columns of B, or rows of B when it is transposed
                sgemm(m: m, n: count, k: k, a, lda: lda, transposeA: transposeA,
                      b + (transposeB ? start * ldb : start), ldb: ldb, transposeB: transposeB,
                      into: c + start, ldc: ldc, alpha: alpha, beta: beta)
            }
        }
    }

    /// Products smaller than this many floating-point operations run on the calling thread alone.
    static let splitFlops = 1 << 20

    /// One oneDNN call on the calling thread.
    private static func sgemm(m: Int, n: Int, k: Int,
                              _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                              _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                              into c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
        sk_wait_for_background()   // the kernels compiled by `prepareInBackground`, if it runs
        sk_dnnl_run_on_this_thread()
        let status = dnnl_sgemm(transposeA ? 84 : 78, transposeB ? 84 : 78, Int64(m), Int64(n), Int64(k), alpha,
                                a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
        precondition(status == dnnl_success, "dnnl_sgemm failed (status \(status.rawValue)) for m \(m), n \(n), k \(k)")
    }

    /// Starts compiling oneDNN's GEMM kernels for this CPU on a background thread, once per process, so that the
    /// first product does not pay for it (50–75 ms on a 2-core Xeon). A product called meanwhile waits for the
    /// compilation to finish (oneDNN must not compile kernels on two threads at once). A program calls it as early
    /// as it can, before reading its model and data, as `keras predict`, `evaluate` and `fit` do, and calls
    /// `finishPreparation()` before it exits: oneDNN crashes when the process exits in the middle of a compilation.
    public static func prepareInBackground() { _ = preparing }

    /// Returns once the compilation `prepareInBackground()` started has finished (at once if none runs).
    public static func finishPreparation() { sk_wait_for_background() }

    private static let preparing: Void = {
        _ = configured
        sk_run_in_background {
            var (a, b, c) = ([Float](repeating: 0, count: 64), [Float](repeating: 0, count: 64), [Float](repeating: 0, count: 64))
            GEMM.multiply(m: 8, n: 8, k: 8, &a, lda: 8, &b, ldb: 8, into: &c, ldc: 8)
        }
    }()

    /// Once per process: oneDNN's JIT-profiling hooks (VTune / perf integration) off; they wrote a trace record on
    /// every call (6% of a fresh `keras predict`).
    private static let configured: Void = { _ = dnnl_set_jit_profiling_flags(0) }()

    /// The library and the instruction set its kernels use on this CPU, e.g. `oneDNN 2.6.3 (avx512_core_amx)`.
    public static var kernel: String {
        let v = dnnl_version().pointee
        return "oneDNN \(v.major).\(v.minor).\(v.patch) (\(isaName))"
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
