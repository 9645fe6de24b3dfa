// CMatMul: the engine's matrix product, `C ← alpha·op(A)·op(B) + beta·C` (row-major, float32), as oneDNN matmul
// primitives cached by shape.
//
// Why primitives and not `dnnl_sgemm`: oneDNN's sgemm JIT-compiles its whole family of kernels at the first
// product of a process, 40–75 ms on a 2-core Xeon, which was a third of a fresh `keras predict` of 10,000 rows. A
// matmul primitive compiles only the kernel its shape needs (0.2–1 ms, once per shape) and runs as fast on the
// step shapes measured (README, "Why oneDNN"). A shape the primitive cannot serve falls back to `dnnl_sgemm`.
#ifndef SWIFT_KERAS_CMATMUL_H
#define SWIFT_KERAS_CMATMUL_H

#include "CConvolution.h"   // the target's other primitives (this header is its module's umbrella)

/// `C ← alpha·op(A)·op(B) + beta·C` for row-major `op(A)` of `m×k`, `op(B)` of `k×n` and `C` of `m×n` with leading
/// dimensions `lda`, `ldb`, `ldc`; `op(X)` is `X` transposed when `transpose_x` is non-zero. With `beta == 0`, `C`
/// may hold anything. Runs on the calling thread alone. Returns 0, or oneDNN's status when both paths failed.
/// `m`, `n`, `k` must be positive.
int sk_matmul(long m, long n, long k, const float *a, long lda, int transpose_a, const float *b, long ldb,
              int transpose_b, float *c, long ldc, float alpha, float beta);

/// oneDNN's name for the kernel a typical product runs (`brg:avx512_core`, `gemm:jit` …), for reports.
const char *sk_matmul_implementation(void);

#endif
