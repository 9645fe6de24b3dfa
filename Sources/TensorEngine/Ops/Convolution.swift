import CKernels

/// 1-D, 2-D and 3-D convolution of channels-last inputs, forward and backward: oneDNN's convolution primitives
/// (`ConvolutionPrimitive`) when ungrouped, otherwise im2col + one GEMM over the whole batch per group.
extension Tensor {
    /// Keras's `Conv1D/2D/3D` core (no bias): `x` `[batch, *spatial, channels]`, `kernel` `[*kernel_size,
    /// channels/groups, filters]` → `[batch, *outputSpatial, filters]`. With `groups > 1` each group of input
    /// channels feeds its own `filters/groups` outputs.
    public static func conv(_ x: Tensor, _ kernel: Tensor, geometry g: WindowGeometry, groups: Int = 1) -> Tensor {
        precondition(x.rank == g.rank + 2 && kernel.rank == g.rank + 2,
                     "conv needs a rank-\(g.rank + 2) input and kernel, got \(x.shape) and \(kernel.shape)")
        let v = Volume(shape: x.shape, geometry: g)
        let (n, c) = (v.n, v.c)
        let filters = kernel.shape[g.rank + 1]
        precondition(Array(kernel.shape.prefix(g.rank)) == g.kernel && groups >= 1 && c % groups == 0
                     && kernel.shape[g.rank] == c / groups && filters % groups == 0,
                     "conv kernel \(kernel.shape) does not fit input \(x.shape) with \(groups) groups")
        let outputShape = [n] + Array(v.output.suffix(g.rank)) + [filters]
        // Ungrouped: oneDNN's convolution primitives; a pass oneDNN refuses falls back to im2col.
        if groups == 1, let y = ConvolutionPrimitive.forward(x.scalars, kernel.scalars, volume: v, rank: g.rank, filters: filters) {
            return .recorded(Tensor(shape: outputShape, scalars: y), from: [x, kernel]) { grad, tracked in
                let dx = tracked[0] ? ConvolutionPrimitive.backwardData(grad.scalars, kernel.scalars, volume: v, rank: g.rank, filters: filters) : nil
                let dk = tracked[1] ? ConvolutionPrimitive.backwardWeights(x.scalars, grad.scalars, volume: v, rank: g.rank, filters: filters) : nil
                let missing = [tracked[0] && dx == nil, tracked[1] && dk == nil]
                var fallback = missing.contains(true)
                    ? im2colGradients(grad, missing, x: x, kernel: kernel, volume: v, groups: 1, filters: filters, forwardColumns: [])
                    : []
                var grads: [Tensor] = []
                if tracked[0] { grads.append(dx.map { Tensor(shape: x.shape, scalars: $0) } ?? fallback.removeFirst()) }
                if tracked[1] { grads.append(dk.map { Tensor(shape: kernel.shape, scalars: $0) } ?? fallback.removeFirst()) }
                return grads
            }
        }
        let rows = n * v.outputsPerImage
        let cg = c / groups, fg = filters / groups
        let patch = v.taps * cg
        var out = uninitializedFloats(rows * filters)   // every element is written by GEMM (beta = 0)
        var cols = uninitializedFloats(rows * patch)     // every element is written by im2col
        let keepColumns = groups == 1 && kernel.isTracked  // reused for the kernel's gradient
        for group in 0..<groups {
            im2col(x.scalars, &cols, volume: v, channelOffset: group * cg, channelCount: cg)
            // out[:, group's filters] = cols · kernel[..., group's channels, group's filters]
            let k = groups == 1 ? kernel.scalars : kernelSlice(kernel.scalars, patchTaps: v.taps, cg: cg, filters: filters, group: group, fg: fg)
            gemm(cols, transA: false, k, transB: false, into: &out, offset: group * fg, m: rows, n: fg, k: patch, lda: patch, ldb: fg, ldc: filters)
        }
        let forwardColumns = keepColumns ? cols : []
        cols = []
        return .recorded(Tensor(shape: outputShape, scalars: out), from: [x, kernel]) { grad, tracked in
            im2colGradients(grad, tracked, x: x, kernel: kernel, volume: v, groups: groups, filters: filters, forwardColumns: forwardColumns)
        }
    }

    /// The gradients of `conv` by im2col and GEMM, for the operands marked in `tracked`, in order. `forwardColumns`:
    /// the forward pass's im2col columns when it kept them (ungrouped), else empty.
    private static func im2colGradients(_ grad: Tensor, _ tracked: [Bool], x: Tensor, kernel: Tensor, volume v: Volume,
                                        groups: Int, filters: Int, forwardColumns: [Float]) -> [Tensor] {
        let rows = v.n * v.outputsPerImage
        let cg = v.c / groups, fg = filters / groups
        let patch = v.taps * cg
        let keepColumns = !forwardColumns.isEmpty
        var grads: [Tensor] = []
        var dx = [Float](repeating: 0, count: tracked[0] ? x.count : 0)
        var dk = [Float](repeating: 0, count: tracked[1] ? kernel.count : 0)
        var cols = forwardColumns
        for group in 0..<groups {
            let gy = groups == 1 ? grad.scalars : columns(grad.scalars, rows: rows, width: filters, from: group * fg, count: fg)
            if tracked[1] {
                if !keepColumns {
                    if cols.isEmpty { cols = uninitializedFloats(rows * patch) }
                    im2col(x.scalars, &cols, volume: v, channelOffset: group * cg, channelCount: cg)
                }
                var dkg = uninitializedFloats(patch * fg)
                gemm(cols, transA: true, gy, transB: false, into: &dkg, offset: 0, m: patch, n: fg, k: rows, lda: patch, ldb: fg, ldc: fg)
                if groups == 1 { dk = dkg } else { scatterKernelSlice(dkg, into: &dk, patchTaps: v.taps, cg: cg, filters: filters, group: group, fg: fg) }
            }
            if tracked[0] {
                let k = groups == 1 ? kernel.scalars : kernelSlice(kernel.scalars, patchTaps: v.taps, cg: cg, filters: filters, group: group, fg: fg)
                var dcols = uninitializedFloats(rows * patch)
                gemm(gy, transA: false, k, transB: true, into: &dcols, offset: 0, m: rows, n: patch, k: fg, lda: fg, ldb: fg, ldc: patch)
                col2im(dcols, into: &dx, volume: v, channelOffset: group * cg, channelCount: cg)
            }
        }
        if tracked[0] { grads.append(Tensor(shape: x.shape, scalars: dx)) }
        if tracked[1] { grads.append(Tensor(shape: kernel.shape, scalars: dk)) }
        return grads
    }

    /// Copies every window of `x` (laid out as `volume`'s input) into one row of `cols`
    /// (`[batch·outputs, taps·channelCount]`, taps in `(kd, kh, kw, channel)` order, zeros where the window lies in
    /// the padding). Images go to the cores.
    static func im2col(_ x: [Float], _ cols: inout [Float], volume v: Volume, channelOffset: Int, channelCount cg: Int) {
        let (c, patch) = (v.c, v.taps * cg)
        x.withUnsafeBufferPointer { source in
            cols.withUnsafeMutableBufferPointer { target in
                guard let src = source.baseAddress, let dst = target.baseAddress else { return }
                v.forEveryTap(work: patch) { row, tap, input in
                    let to = dst + row * patch + tap * cg
                    if cg == 1 {   // one channel (a grayscale image's first layer): no copy call per element
                        to.pointee = input < 0 ? 0 : src[input * c + channelOffset]
                    } else if input < 0 {
                        to.initialize(repeating: 0, count: cg)
                    } else {
                        to.initialize(from: src + input * c + channelOffset, count: cg)
                    }
                }
            }
        }
    }

    /// The adjoint of `im2col`: adds each row of `cols` back onto the input positions its window read. Images go to
    /// the cores (their input positions are disjoint).
    static func col2im(_ cols: [Float], into dx: inout [Float], volume v: Volume, channelOffset: Int, channelCount cg: Int) {
        let (c, patch) = (v.c, v.taps * cg)
        cols.withUnsafeBufferPointer { source in
            dx.withUnsafeMutableBufferPointer { target in
                guard let src = source.baseAddress, let dst = target.baseAddress else { return }
                v.forEveryTap(work: patch) { row, tap, input in
                    guard input >= 0 else { return }
                    sk_accumulate(dst + input * c + channelOffset, src + row * patch + tap * cg, cg)
                }
            }
        }
    }

    /// An array whose elements the caller overwrites entirely before reading (skips zero-filling large buffers).
    static func uninitializedFloats(_ count: Int) -> [Float] { Kernels.make(count) { _ in } }

    /// `C[:, offset ..< offset+n] = op(A) · op(B)` with row-major operands.
    static func gemm(_ a: [Float], transA: Bool, _ b: [Float], transB: Bool, into c: inout [Float], offset: Int,
                     m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {   // an empty product: C is zero (callers may pass uninitialized C)
            for row in 0..<m { for j in 0..<n { c[row * ldc + offset + j] = 0 } }
            return
        }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiply(m: m, n: n, k: k, pa.baseAddress!, lda: lda, transposeA: transA,
                                  pb.baseAddress!, ldb: ldb, transposeB: transB, into: pc.baseAddress! + offset, ldc: ldc)
                }
            }
        }
    }

    /// The `[taps·cg, fg]` part of a grouped kernel `[taps, cg, filters]` for `group`.
    private static func kernelSlice(_ k: [Float], patchTaps: Int, cg: Int, filters: Int, group: Int, fg: Int) -> [Float] {
        var out = [Float](repeating: 0, count: patchTaps * cg * fg)
        for r in 0..<(patchTaps * cg) {
            for f in 0..<fg { out[r * fg + f] = k[r * filters + group * fg + f] }
        }
        return out
    }

    private static func scatterKernelSlice(_ part: [Float], into k: inout [Float], patchTaps: Int, cg: Int, filters: Int, group: Int, fg: Int) {
        for r in 0..<(patchTaps * cg) {
            for f in 0..<fg { k[r * filters + group * fg + f] = part[r * fg + f] }
        }
    }

    /// Columns `from ..< from+count` of a row-major `[rows, width]` matrix.
    private static func columns(_ m: [Float], rows: Int, width: Int, from: Int, count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows * count)
        for r in 0..<rows {
            for j in 0..<count { out[r * count + j] = m[r * width + from + j] }
        }
        return out
    }
}
