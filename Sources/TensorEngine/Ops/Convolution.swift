
/// 2-D convolution of channels-last images by im2col + one GEMM over the whole batch, forward and backward.
extension Tensor {
    /// Keras's `Conv2D` core (no bias): `x` `[batch, height, width, channels]`, `kernel` `[kh, kw, channels/groups,
    /// filters]` → `[batch, outH, outW, filters]`. With `groups > 1` each group of input channels feeds its own
    /// `filters/groups` outputs.
    public static func conv2d(_ x: Tensor, _ kernel: Tensor, geometry g: WindowGeometry, groups: Int = 1) -> Tensor {
        precondition(x.rank == 4 && kernel.rank == 4, "conv2d needs a rank-4 input and kernel, got \(x.shape) and \(kernel.shape)")
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let filters = kernel.shape[3]
        precondition(kernel.shape[0] == g.kernel.0 && kernel.shape[1] == g.kernel.1 && groups >= 1 && c % groups == 0
                     && kernel.shape[2] == c / groups && filters % groups == 0,
                     "conv2d kernel \(kernel.shape) does not fit input \(x.shape) with \(groups) groups")
        let (oh, ow) = g.outputSize(height: h, width: w)
        let rows = n * oh * ow
        let cg = c / groups, fg = filters / groups
        let patch = g.kernel.0 * g.kernel.1 * cg
        var out = uninitializedFloats(rows * filters)   // every element is written by GEMM (beta = 0)
        var cols = uninitializedFloats(rows * patch)     // every element is written by im2col
        let keepColumns = groups == 1 && kernel.isTracked  // reused for the kernel's gradient
        for group in 0..<groups {
            im2col(x.scalars, &cols, batch: n, height: h, width: w, channels: c, channelOffset: group * cg, channelCount: cg, geometry: g)
            // out[:, group's filters] = cols · kernel[:, :, group's channels, group's filters]
            let k = groups == 1 ? kernel.scalars : kernelSlice(kernel.scalars, patchTaps: g.kernel.0 * g.kernel.1, cg: cg, filters: filters, group: group, fg: fg)
            gemm(cols, transA: false, k, transB: false, into: &out, offset: group * fg, m: rows, n: fg, k: patch, lda: patch, ldb: fg, ldc: filters)
        }
        let result = Tensor(shape: [n, oh, ow, filters], scalars: out)
        let forwardColumns = keepColumns ? cols : []
        cols = []
        return .recorded(result, from: [x, kernel]) { grad, tracked in
            var grads: [Tensor] = []
            var dx = [Float](repeating: 0, count: tracked[0] ? x.count : 0)
            var dk = [Float](repeating: 0, count: tracked[1] ? kernel.count : 0)
            var cols = forwardColumns
            for group in 0..<groups {
                let gy = groups == 1 ? grad.scalars : columns(grad.scalars, rows: rows, width: filters, from: group * fg, count: fg)
                if tracked[1] {
                    if !keepColumns {
                        if cols.isEmpty { cols = uninitializedFloats(rows * patch) }
                        im2col(x.scalars, &cols, batch: n, height: h, width: w, channels: c, channelOffset: group * cg, channelCount: cg, geometry: g)
                    }
                    var dkg = uninitializedFloats(patch * fg)
                    gemm(cols, transA: true, gy, transB: false, into: &dkg, offset: 0, m: patch, n: fg, k: rows, lda: patch, ldb: fg, ldc: fg)
                    if groups == 1 { dk = dkg } else { scatterKernelSlice(dkg, into: &dk, patchTaps: g.kernel.0 * g.kernel.1, cg: cg, filters: filters, group: group, fg: fg) }
                }
                if tracked[0] {
                    let k = groups == 1 ? kernel.scalars : kernelSlice(kernel.scalars, patchTaps: g.kernel.0 * g.kernel.1, cg: cg, filters: filters, group: group, fg: fg)
                    var dcols = uninitializedFloats(rows * patch)
                    gemm(gy, transA: false, k, transB: true, into: &dcols, offset: 0, m: rows, n: patch, k: fg, lda: fg, ldb: fg, ldc: patch)
                    col2im(dcols, into: &dx, batch: n, height: h, width: w, channels: c, channelOffset: group * cg, channelCount: cg, geometry: g)
                }
            }
            if tracked[0] { grads.append(Tensor(shape: x.shape, scalars: dx)) }
            if tracked[1] { grads.append(Tensor(shape: kernel.shape, scalars: dk)) }
            return grads
        }
    }

    /// Copies every window of `x` into one row of `cols` (`[batch·outH·outW, kh·kw·channelCount]`, taps in
    /// `(kh, kw, channel)` order, zeros where the window lies in the padding). Images go to the cores.
    static func im2col(_ x: [Float], _ cols: inout [Float], batch n: Int, height h: Int, width w: Int, channels c: Int,
                       channelOffset: Int, channelCount cg: Int, geometry g: WindowGeometry) {
        let (oh, ow) = g.outputSize(height: h, width: w)
        let patch = g.kernel.0 * g.kernel.1 * cg
        x.withUnsafeBufferPointer { source in
            cols.withUnsafeMutableBufferPointer { target in
                guard let src = source.baseAddress, let dst = target.baseAddress else { return }
                forEveryTap(batch: n, oh: oh, ow: ow, h: h, w: w, patch: patch, geometry: g) { row, tap, input in
                    let to = dst + row * patch + tap * cg
                    if input < 0 { to.initialize(repeating: 0, count: cg) } else { to.initialize(from: src + input * c + channelOffset, count: cg) }
                }
            }
        }
    }

    /// The adjoint of `im2col`: adds each row of `cols` back onto the input positions its window read. Images go to
    /// the cores (their input positions are disjoint).
    static func col2im(_ cols: [Float], into dx: inout [Float], batch n: Int, height h: Int, width w: Int, channels c: Int,
                       channelOffset: Int, channelCount cg: Int, geometry g: WindowGeometry) {
        let (oh, ow) = g.outputSize(height: h, width: w)
        let patch = g.kernel.0 * g.kernel.1 * cg
        cols.withUnsafeBufferPointer { source in
            dx.withUnsafeMutableBufferPointer { target in
                guard let src = source.baseAddress, let dst = target.baseAddress else { return }
                forEveryTap(batch: n, oh: oh, ow: ow, h: h, w: w, patch: patch, geometry: g) { row, tap, input in
                    guard input >= 0 else { return }
                    let (from, to) = (src + row * patch + tap * cg, dst + input * c + channelOffset)
                    for ch in 0..<cg { to[ch] += from[ch] }
                }
            }
        }
    }

    /// `forEachTap` over every image of the batch, images spread over the cores (each image's rows, and the input
    /// pixels its windows read, belong to it alone).
    @inline(__always)
    static func forEveryTap(batch n: Int, oh: Int, ow: Int, h: Int, w: Int, patch: Int, geometry g: WindowGeometry,
                            _ body: (_ row: Int, _ tap: Int, _ input: Int) -> Void) {
        Parallel.forEachChunk(n, grain: Swift.max(1, Parallel.grain / Swift.max(oh * ow * patch, 1))) { images in
            for b in images { forEachTap(b: b, oh: oh, ow: ow, h: h, w: w, geometry: g, body) }
        }
    }

    /// Calls `body(row, tap, input)` for every tap of every window of image `b`: `row` is the window's output
    /// position (`(b·outH + oy)·outW + ox`), `tap` its index in `(kh, kw)` order, `input` the pixel it reads
    /// (`(b·h + iy)·w + ix`, or -1 in the padding).
    @inline(__always)
    static func forEachTap(b: Int, oh: Int, ow: Int, h: Int, w: Int, geometry g: WindowGeometry,
                           _ body: (_ row: Int, _ tap: Int, _ input: Int) -> Void) {
        for oy in 0..<oh {
            for ox in 0..<ow {
                let row = (b * oh + oy) * ow + ox
                for ky in 0..<g.kernel.0 {
                    let iy = oy * g.strides.0 - g.padding.top + ky * g.dilation.0
                    for kx in 0..<g.kernel.1 {
                        let ix = ox * g.strides.1 - g.padding.left + kx * g.dilation.1
                        let inside = iy >= 0 && iy < h && ix >= 0 && ix < w
                        body(row, ky * g.kernel.1 + kx, inside ? (b * h + iy) * w + ix : -1)
                    }
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
