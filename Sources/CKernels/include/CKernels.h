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

#endif
