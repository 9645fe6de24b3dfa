#include "CKernels.h"
#include <stddef.h>

// IEEE results exactly as the formulas are written: no fused multiply-add contraction, so every clone (and the
// Swift code these loops replaced) rounds the same way and seeded runs are reproducible across machines.
#pragma clang fp contract(off)

// A sanitizer instruments the resolver that picks a clone, and the resolver runs while the program is being
// relocated, before the sanitizer's runtime exists (a crash at load): a sanitized build (scripts/test-concurrency)
// compiles the default code only. The clones compute the same results, so only speed differs.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define CLONES
#endif
#endif
#ifndef CLONES
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif

CLONES
void sk_rmsprop(float *restrict w, float *restrict v, float *restrict m, float *restrict a, const float *restrict g,
                long n, float lr, float rho, float oneMinusRho, float epsilon, float mu) {
    if (m == NULL && a == NULL) {
        for (long k = 0; k < n; k++) {
            float gk = g[k], vk = rho * v[k] + oneMinusRho * (gk * gk);
            v[k] = vk;
            w[k] -= lr * gk / __builtin_elementwise_sqrt(vk + epsilon);
        }
    } else if (a == NULL) {
        for (long k = 0; k < n; k++) {
            float gk = g[k], vk = rho * v[k] + oneMinusRho * (gk * gk);
            float mk = mu * m[k] + lr * gk / __builtin_elementwise_sqrt(vk + epsilon);
            v[k] = vk;
            m[k] = mk;
            w[k] -= mk;
        }
    } else if (m == NULL) {
        for (long k = 0; k < n; k++) {
            float gk = g[k], vk = rho * v[k] + oneMinusRho * (gk * gk), ak = rho * a[k] + oneMinusRho * gk;
            v[k] = vk;
            a[k] = ak;
            w[k] -= lr * gk / __builtin_elementwise_sqrt(vk - ak * ak + epsilon);
        }
    } else {
        for (long k = 0; k < n; k++) {
            float gk = g[k], vk = rho * v[k] + oneMinusRho * (gk * gk), ak = rho * a[k] + oneMinusRho * gk;
            float mk = mu * m[k] + lr * gk / __builtin_elementwise_sqrt(vk - ak * ak + epsilon);
            v[k] = vk;
            a[k] = ak;
            m[k] = mk;
            w[k] -= mk;
        }
    }
}

CLONES
void sk_adam(float *restrict w, float *restrict m, float *restrict v, float *restrict vHat, const float *restrict g,
             long n, float alpha, float oneMinusBeta1, float oneMinusBeta2, float epsilon) {
    if (vHat == NULL) {
        for (long k = 0; k < n; k++) {
            float gk = g[k], mk = m[k] + (gk - m[k]) * oneMinusBeta1, vk = v[k] + (gk * gk - v[k]) * oneMinusBeta2;
            m[k] = mk;
            v[k] = vk;
            w[k] -= mk * alpha / (__builtin_elementwise_sqrt(vk) + epsilon);
        }
    } else {
        for (long k = 0; k < n; k++) {
            float gk = g[k], mk = m[k] + (gk - m[k]) * oneMinusBeta1, vk = v[k] + (gk * gk - v[k]) * oneMinusBeta2;
            float hk = vHat[k] > vk ? vHat[k] : vk;
            m[k] = mk;
            v[k] = vk;
            vHat[k] = hk;
            w[k] -= mk * alpha / (__builtin_elementwise_sqrt(hk) + epsilon);
        }
    }
}

// One loop per operation, chosen outside the loop, so each vectorizes: EACH_BINARY expands `LOOP(expr)` with
// `A` and `B` standing for the two operands.
#define EACH_BINARY(op)                                         \
    switch (op) {                                               \
    case SKBinaryOpAdd: LOOP(A + B); break;                     \
    case SKBinaryOpSubtract: LOOP(A - B); break;                \
    case SKBinaryOpMultiply: LOOP(A * B); break;                \
    case SKBinaryOpDivide: LOOP(A / B); break;                  \
    case SKBinaryOpMaximum: LOOP(B >= A ? B : A); break;        \
    case SKBinaryOpMinimum: LOOP(B < A ? B : A); break;         \
    case SKBinaryOpGreaterOrEqual: LOOP(A >= B ? 1.0f : 0.0f); break; \
    case SKBinaryOpLessOrEqual: LOOP(A <= B ? 1.0f : 0.0f); break;    \
    case SKBinaryOpPassWherePositive: LOOP(A > 0 ? B : 0.0f); break;  \
    case SKBinaryOpSigmoidGradient: LOOP(B * (A * (1.0f - A))); break; \
    case SKBinaryOpTanhGradient: LOOP(B * (1.0f - A * A)); break;      \
    }

CLONES
void sk_binary(SKBinaryOp op, const float *restrict a, const float *restrict b, float *restrict out, long n) {
#define A a[i]
#define B b[i]
#define LOOP(expr) for (long i = 0; i < n; i++) out[i] = (expr)
    EACH_BINARY(op)
#undef LOOP
#undef A
#undef B
}

CLONES
void sk_binary_rows(SKBinaryOp op, const float *restrict a, const float *restrict row, float *restrict out, long rows,
                    long n, int swapped) {
    for (long r = 0; r < rows; r++) {
        const float *x = a + r * n;
        float *o = out + r * n;
#define LOOP(expr) for (long j = 0; j < n; j++) o[j] = (expr)
        if (swapped) {
#define A row[j]
#define B x[j]
            EACH_BINARY(op)
#undef A
#undef B
        } else {
#define A x[j]
#define B row[j]
            EACH_BINARY(op)
#undef A
#undef B
        }
#undef LOOP
    }
}

CLONES
void sk_binary_scalar(SKBinaryOp op, const float *restrict a, float s, float *restrict out, long n, int swapped) {
#define LOOP(expr) for (long i = 0; i < n; i++) out[i] = (expr)
    if (swapped) {
#define A s
#define B a[i]
        EACH_BINARY(op)
#undef A
#undef B
    } else {
#define A a[i]
#define B s
        EACH_BINARY(op)
#undef A
#undef B
    }
#undef LOOP
}

void sk_binary_columns(SKBinaryOp op, const float *a, const float *column, float *out, long rows, long n, int swapped) {
    for (long r = 0; r < rows; r++) sk_binary_scalar(op, a + r * n, column[r], out + r * n, n, swapped);
}

// e^x without a library call, so loops over it vectorize: x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r from Cephes's
// expf polynomial (relative error about 1 ulp), times 2^n built in the exponent bits. x is clamped to the range
// where e^x is a normal float.
static inline float sk_exp(float x) {
    x = x < -87.0f ? -87.0f : x > 88.0f ? 88.0f : x;
    float n = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
    float r = x - n * 0.693359375f;
    r = r + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float y = p * (r * r) + r + 1.0f;
    union { int i; float f; } scale = { .i = ((int)n + 127) << 23 };
    return y * scale.f;
}

static inline float sk_tanh(float x) {
    float a = x < 0 ? -x : x;
    float z = x * x;
    float small = ((((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z + 1.33314422036e-1f) * z
                   - 3.33332819422e-1f) * z * x + x;
    float large = 1.0f - 2.0f / (sk_exp(2.0f * a) + 1.0f);
    large = x < 0 ? -large : large;
    return a < 0.625f ? small : large;
}

CLONES
void sk_unary(SKUnaryOp op, const float *restrict x, float *restrict out, long n) {
    switch (op) {
    case SKUnaryOpRelu: for (long i = 0; i < n; i++) out[i] = 0.0f >= x[i] ? 0.0f : x[i]; break;
    case SKUnaryOpNegate: for (long i = 0; i < n; i++) out[i] = -x[i]; break;
    case SKUnaryOpSigmoid: for (long i = 0; i < n; i++) out[i] = 1.0f / (1.0f + sk_exp(-x[i])); break;
    case SKUnaryOpTanh: for (long i = 0; i < n; i++) out[i] = sk_tanh(x[i]); break;
    }
}

CLONES
void sk_accumulate(float *restrict a, const float *restrict b, long n) {
    for (long i = 0; i < n; i++) a[i] += b[i];
}

CLONES
void sk_max_tap(float *restrict dst, long *restrict arg, const float *restrict src, long from, long c) {
    const float *restrict x = src + from;
    for (long ch = 0; ch < c; ch++) {
        int better = arg[ch] < 0 || x[ch] > dst[ch];
        dst[ch] = better ? x[ch] : dst[ch];
        arg[ch] = better ? from + ch : arg[ch];
    }
}

#define LANES 16

CLONES
void sk_reduce_rows(SKBinaryOp op, const float *restrict x, float *restrict out, long rows, long size, float initial) {
    for (long r = 0; r < rows; r++) {
        const float *row = x + r * size;
        float lanes[LANES];
        for (int j = 0; j < LANES; j++) lanes[j] = initial;
        long k = 0;
        if (op == SKBinaryOpAdd) {
            for (; k + LANES <= size; k += LANES) for (int j = 0; j < LANES; j++) lanes[j] += row[k + j];
        } else {
            for (; k + LANES <= size; k += LANES)
                for (int j = 0; j < LANES; j++) lanes[j] = row[k + j] >= lanes[j] ? row[k + j] : lanes[j];
        }
        for (int width = LANES / 2; width > 0; width /= 2)   // pairwise: lanes j and j + width
            for (int j = 0; j < width; j++)
                lanes[j] = op == SKBinaryOpAdd ? lanes[j] + lanes[j + width]
                                               : (lanes[j + width] >= lanes[j] ? lanes[j + width] : lanes[j]);
        float acc = lanes[0];
        for (; k < size; k++) acc = op == SKBinaryOpAdd ? acc + row[k] : (row[k] >= acc ? row[k] : acc);
        out[r] = acc;
    }
}

CLONES
void sk_reduce_inner(SKBinaryOp op, const float *restrict x, float *restrict out, long outer, long size, long inner,
                     float initial) {
    for (long o = 0; o < outer; o++) {
        float *acc = out + o * inner;
        for (long i = 0; i < inner; i++) acc[i] = initial;
        for (long k = 0; k < size; k++) {
            const float *line = x + (o * size + k) * inner;
            if (op == SKBinaryOpAdd) for (long i = 0; i < inner; i++) acc[i] += line[i];
            else for (long i = 0; i < inner; i++) acc[i] = line[i] >= acc[i] ? line[i] : acc[i];
        }
    }
}
