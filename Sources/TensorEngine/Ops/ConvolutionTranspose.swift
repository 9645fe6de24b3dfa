/// Transposed 2-D convolution (Keras's `conv_transpose`): the adjoint of `conv2d`, computed as one GEMM and a col2im.
extension Tensor {
    /// `x` `[batch, h, w, inChannels]`, `kernel` `[kh, kw, outChannels, inChannels]` (Keras's `Conv2DTranspose`
    /// layout) → `[batch, outHeight, outWidth, outChannels]`: the input gradient of `conv2d` over an
    /// `outHeight × outWidth` image with `geometry` (whose output size must be `h × w`), applied to `x`. Each input
    /// pixel spreads `kernel · x` over the window it would have been computed from.
    public static func conv2dTranspose(_ x: Tensor, _ kernel: Tensor, geometry g: WindowGeometry,
                                       outHeight: Int, outWidth: Int) -> Tensor {
        precondition(x.rank == 4 && kernel.rank == 4, "conv2dTranspose needs a rank-4 input and kernel, got \(x.shape) and \(kernel.shape)")
        let (n, h, w, cin) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let cout = kernel.shape[2]
        precondition(kernel.shape[0] == g.kernel.0 && kernel.shape[1] == g.kernel.1 && kernel.shape[3] == cin,
                     "conv2dTranspose kernel \(kernel.shape) does not fit input \(x.shape)")
        precondition(g.outputSize(height: outHeight, width: outWidth) == (h, w),
                     "conv2dTranspose: a \(outHeight)×\(outWidth) image does not give \(h)×\(w) windows")
        let rows = n * h * w
        let patch = g.kernel.0 * g.kernel.1 * cout
        // cols[rows, patch] = x[rows, cin] · kernel[patch, cin]ᵀ, then each row added back onto its window.
        var cols = uninitializedFloats(rows * patch)
        gemm(x.scalars, transA: false, kernel.scalars, transB: true, into: &cols, offset: 0, m: rows, n: patch, k: cin,
             lda: cin, ldb: cin, ldc: patch)
        var out = [Float](repeating: 0, count: n * outHeight * outWidth * cout)
        col2im(cols, into: &out, batch: n, height: outHeight, width: outWidth, channels: cout, channelOffset: 0,
               channelCount: cout, geometry: g)
        cols = []
        let result = Tensor(shape: [n, outHeight, outWidth, cout], scalars: out)
        return .recorded(result, from: [x, kernel]) { grad, tracked in
            // The windows of the incoming gradient, as conv2d reads its input: [rows, patch].
            var windows = uninitializedFloats(rows * patch)
            im2col(grad.scalars, &windows, batch: n, height: outHeight, width: outWidth, channels: cout, channelOffset: 0,
                   channelCount: cout, geometry: g)
            var grads: [Tensor] = []
            if tracked[0] {   // dx[rows, cin] = windows · kernel
                var dx = uninitializedFloats(rows * cin)
                gemm(windows, transA: false, kernel.scalars, transB: false, into: &dx, offset: 0, m: rows, n: cin, k: patch,
                     lda: patch, ldb: cin, ldc: cin)
                grads.append(Tensor(shape: x.shape, scalars: dx))
            }
            if tracked[1] {   // dkernel[patch, cin] = windowsᵀ · x
                var dk = uninitializedFloats(patch * cin)
                gemm(windows, transA: true, x.scalars, transB: false, into: &dk, offset: 0, m: patch, n: cin, k: rows,
                     lda: patch, ldb: cin, ldc: cin)
                grads.append(Tensor(shape: kernel.shape, scalars: dk))
            }
            return grads
        }
    }
}
