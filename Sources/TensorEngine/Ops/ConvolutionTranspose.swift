/// Transposed convolution (Keras's `conv_transpose`) with one, two or three spatial axes: the adjoint of `conv`,
/// computed as one GEMM and a col2im.
extension Tensor {
    /// `x` `[batch, *spatial, inChannels]`, `kernel` `[*kernel_size, outChannels, inChannels]` (Keras's
    /// `ConvNDTranspose` layout) → `[batch, *outputSize, outChannels]`: the input gradient of `conv` over an input of
    /// `outputSize` with `geometry` (whose output size must be `x`'s spatial size), applied to `x`. Each input
    /// position spreads `kernel · x` over the window it would have been computed from.
    public static func convTranspose(_ x: Tensor, _ kernel: Tensor, geometry g: WindowGeometry, outputSize: [Int]) -> Tensor {
        precondition(x.rank == g.rank + 2 && kernel.rank == g.rank + 2,
                     "convTranspose needs a rank-\(g.rank + 2) input and kernel, got \(x.shape) and \(kernel.shape)")
        let (n, cin) = (x.shape[0], x.shape[g.rank + 1])
        let cout = kernel.shape[g.rank]
        precondition(Array(kernel.shape.prefix(g.rank)) == g.kernel && kernel.shape[g.rank + 1] == cin,
                     "convTranspose kernel \(kernel.shape) does not fit input \(x.shape)")
        precondition(g.outputSize(outputSize) == Array(x.shape[1...g.rank]),
                     "convTranspose: an input of \(outputSize) does not give \(Array(x.shape[1...g.rank])) windows")
        let outShape = [n] + outputSize + [cout]
        let v = Volume(shape: outShape, geometry: g)
        let rows = n * v.outputsPerImage
        let patch = v.taps * cout
        // cols[rows, patch] = x[rows, cin] · kernel[patch, cin]ᵀ, then each row added back onto its window.
        var cols = uninitializedFloats(rows * patch)
        gemm(x.scalars, transA: false, kernel.scalars, transB: true, into: &cols, offset: 0, m: rows, n: patch, k: cin,
             lda: cin, ldb: cin, ldc: patch)
        var out = [Float](repeating: 0, count: outShape.elementCount)
        col2im(cols, into: &out, volume: v, channelOffset: 0, channelCount: cout)
        cols = []
        let result = Tensor(shape: outShape, scalars: out)
        return .recorded(result, from: [x, kernel]) { grad, tracked in
            // The windows of the incoming gradient, as conv reads its input: [rows, patch].
            var windows = uninitializedFloats(rows * patch)
            im2col(grad.scalars, &windows, volume: v, channelOffset: 0, channelCount: cout)
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
