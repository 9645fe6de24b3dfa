// CConvolution: 1-D, 2-D and 3-D convolution of channels-last tensors on oneDNN's convolution primitives, which
// run in oneDNN's own (blocked) layouts: each call reorders its channels-last operands into them and its result
// back. One primitive (and its reorders) per shape, created at first use and kept; each call runs on its calling
// thread alone. Measured against im2col + matrix products in tools/conv_bench.c (README, "The benchmark suite").
#ifndef SWIFT_KERAS_CCONVOLUTION_H
#define SWIFT_KERAS_CCONVOLUTION_H

/// A convolution: `rank` spatial axes (1–3; the sizes below hold them in their last `rank` entries), no groups.
/// Input `[n, in..., c]`, kernel `[kernel..., c, f]` (Keras's layout), output `[n, out..., f]`; `dilation` as
/// Keras counts it (1: none); `pad_before` the padding before each axis (the padding after follows from the sizes).
typedef struct {
    long rank, n, c, f;
    long in[3], out[3], kernel[3], strides[3], dilation[3], pad_before[3];
} sk_conv_shape;

/// `y = conv(x, w)`. Returns 0, or non-zero when oneDNN cannot run it (the caller computes another way).
int sk_conv_forward(const sk_conv_shape *shape, const float *x, const float *w, float *y);

/// `dx` = the gradient of the input given the output's gradient `dy` (overwrites `dx`). Returns 0 or non-zero.
int sk_conv_backward_data(const sk_conv_shape *shape, const float *dy, const float *w, float *dx);

/// `dw` = the gradient of the kernel given the input `x` and the output's gradient `dy` (overwrites `dw`).
/// Returns 0 or non-zero.
int sk_conv_backward_weights(const sk_conv_shape *shape, const float *x, const float *dy, float *dw);

#endif
