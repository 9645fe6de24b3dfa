#include "CKernels.h"
#include <stddef.h>

// IEEE results exactly as the formulas are written: no fused multiply-add contraction, so every clone (and the
// Swift code these loops replaced) rounds the same way and seeded runs are reproducible across machines.
#pragma clang fp contract(off)

#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

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
