// CKernels: the tensor engine's update loops that must run at the CPU's vector width. Swift compiles for the
// baseline x86-64 instruction set (SSE2) and has no per-function target attribute; these C loops are compiled
// once per instruction set (AVX-512, AVX2, baseline) with `target_clones`, and the loader picks the clone for the
// CPU it runs on. They are plain loops (no hand-written intrinsics): the compiler vectorizes each clone.
#ifndef SWIFT_KERAS_CKERNELS_H
#define SWIFT_KERAS_CKERNELS_H

/// Keras's RMSprop on elements [0, n): v ← ρv + (1−ρ)g²; centered (a != NULL): a ← ρa + (1−ρ)g and the
/// denominator is √(v − a² + ε), else √(v + ε); inc = lr·g / denominator; with momentum (m != NULL)
/// m ← μm + inc, w ← w − m, else w ← w − inc.
void sk_rmsprop(float *w, float *v, float *m, float *a, const float *g, long n,
                float lr, float rho, float oneMinusRho, float epsilon, float mu);

/// Keras's Adam on elements [0, n): m ← m + (g − m)(1−β₁), v ← v + (g² − v)(1−β₂); with AMSGrad (vHat != NULL)
/// vHat ← max(vHat, v) is the denominator's v; w ← w − m·α / (√v + ε).
void sk_adam(float *w, float *m, float *v, float *vHat, const float *g, long n,
             float alpha, float oneMinusBeta1, float oneMinusBeta2, float epsilon);

/// Elementwise operations of two operands (`a op b`), as the engine names them.
typedef enum __attribute__((enum_extensibility(closed))) SKBinaryOp {
    SKBinaryOpAdd, SKBinaryOpSubtract, SKBinaryOpMultiply, SKBinaryOpDivide,
    SKBinaryOpMaximum,          ///< b >= a ? b : a (Swift's max)
    SKBinaryOpMinimum,          ///< b < a ? b : a (Swift's min)
    SKBinaryOpGreaterOrEqual,   ///< a >= b ? 1 : 0
    SKBinaryOpLessOrEqual,      ///< a <= b ? 1 : 0
    SKBinaryOpPassWherePositive, ///< a > 0 ? b : 0 (relu's gradient: a the input, b the incoming gradient)
    SKBinaryOpSigmoidGradient,  ///< b · (a · (1 − a)) (a the sigmoid's output, b the incoming gradient)
    SKBinaryOpTanhGradient      ///< b · (1 − a · a) (a tanh's output, b the incoming gradient)
} SKBinaryOp;

/// Elementwise operations of one operand.
typedef enum __attribute__((enum_extensibility(closed))) SKUnaryOp {
    SKUnaryOpRelu,   ///< 0 >= x ? 0 : x (Swift's max(x, 0))
    SKUnaryOpNegate,
    SKUnaryOpSigmoid, ///< 1 / (1 + e^−x), with a vectorized e^x (Cephes's polynomial, about 1 ulp)
    SKUnaryOpTanh     ///< tanh x: an odd polynomial for |x| < 0.625 (Cephes), else sign(x)·(1 − 2 / (e^2|x| + 1))
} SKUnaryOp;

/// out[i] = a[i] op b[i] for i in [0, n).
void sk_binary(SKBinaryOp op, const float *a, const float *b, float *out, long n);
/// out[r·n + j] = a[r·n + j] op row[j] (or row[j] op a[…] when swapped) for `rows` rows of n: a bias against a batch.
void sk_binary_rows(SKBinaryOp op, const float *a, const float *row, float *out, long rows, long n, int swapped);
/// out[r·n + j] = a[r·n + j] op column[r] (or swapped) for `rows` rows of n: a per-row value against a batch.
void sk_binary_columns(SKBinaryOp op, const float *a, const float *column, float *out, long rows, long n, int swapped);
/// out[i] = a[i] op s (or s op a[i] when swapped).
void sk_binary_scalar(SKBinaryOp op, const float *a, float s, float *out, long n, int swapped);
/// out[i] = op(x[i]).
void sk_unary(SKUnaryOp op, const float *x, float *out, long n);
/// a[i] += b[i] (gradient accumulation).
void sk_accumulate(float *a, const float *b, long n);
/// One window tap of max pooling over `c` channels: where `src[from + ch]` is greater than `dst[ch]`, or
/// `arg[ch] < 0` (nothing taken yet), `dst[ch]` takes it and `arg[ch]` its index `from + ch` (NaN never wins).
void sk_max_tap(float *dst, long *arg, const float *src, long from, long c);
/// out[r] = x[r·size] op … op x[r·size + size − 1] for each of `rows` rows (op is Add or Maximum), starting from
/// `initial`; sums keep sixteen running partial sums per row (vectorized; the order is fixed, so results are
/// reproducible).
void sk_reduce_rows(SKBinaryOp op, const float *x, float *out, long rows, long size, float initial);
/// out[o·inner + i] = reduction over k of x[(o·size + k)·inner + i], for o in [0, outer): an inner axis reduced.
void sk_reduce_inner(SKBinaryOp op, const float *x, float *out, long outer, long size, long inner, float initial);

#endif
