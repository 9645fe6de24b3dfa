/// Max and average pooling over 2-D windows of channels-last images, forward and backward.
extension Tensor {
    /// Keras's `MaxPooling2D` core: the largest element of each window, per channel; padding never wins. The
    /// gradient goes to the first largest element of each window.
    public static func maxPool2d(_ x: Tensor, geometry g: WindowGeometry) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oh, ow) = g.outputSize(height: h, width: w)
        var out = [Float](repeating: 0, count: n * oh * ow * c)
        var argmax = [Int](repeating: -1, count: out.count)
        if g.padding == (0, 0, 0, 0), g.dilation == (1, 1) {
            // Windows inside the image: branch-free loops over channels, images spread over the cores.
            x.scalars.withUnsafeBufferPointer { source in
                out.withUnsafeMutableBufferPointer { target in
                    argmax.withUnsafeMutableBufferPointer { arguments in
                        guard let src = source.baseAddress, let dst = target.baseAddress, let arg = arguments.baseAddress else { return }
                        Parallel.forEachChunk(n, grain: Swift.max(1, Parallel.grain / Swift.max(h * w * c, 1))) { images in
                            for b in images {
                                for oy in 0..<oh {
                                    for ox in 0..<ow {
                                        let o = ((b * oh + oy) * ow + ox) * c
                                        let first = ((b * h + oy * g.strides.0) * w + ox * g.strides.1) * c
                                        for ch in 0..<c { dst[o + ch] = src[first + ch]; arg[o + ch] = first + ch }
                                        for ky in 0..<g.kernel.0 {
                                            for kx in 0..<g.kernel.1 where ky > 0 || kx > 0 {
                                                let tap = ((b * h + oy * g.strides.0 + ky) * w + ox * g.strides.1 + kx) * c
                                                for ch in 0..<c {
                                                    let (v, better) = (src[tap + ch], src[tap + ch] > dst[o + ch])
                                                    dst[o + ch] = better ? v : dst[o + ch]
                                                    arg[o + ch] = better ? tap + ch : arg[o + ch]
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        } else { x.scalars.withUnsafeBufferPointer { src in
            forEachWindow(n: n, h: h, w: w, c: c, geometry: g) { outBase, taps in
                for ch in 0..<c {
                    var best = -Float.infinity, at = -1
                    for tap in taps where at < 0 || src[tap + ch] > best { best = src[tap + ch]; at = tap + ch }
                    out[outBase + ch] = at < 0 ? 0 : best
                    argmax[outBase + ch] = at
                }
            }
        } }
        let result = Tensor(shape: [n, oh, ow, c], scalars: out)
        return .recorded(result, from: [x]) { grad, _ in
            var dx = [Float](repeating: 0, count: x.count)
            grad.scalars.withUnsafeBufferPointer { gy in
                argmax.withUnsafeBufferPointer { arg in
                    dx.withUnsafeMutableBufferPointer { d in
                        // Each image's outputs point into that image only: images go to the cores.
                        let perImage = oh * ow * c
                        Parallel.forEachChunk(n, grain: Swift.max(1, Parallel.grain / Swift.max(perImage, 1))) { images in
                            for i in (images.lowerBound * perImage)..<(images.upperBound * perImage) where arg[i] >= 0 {
                                d[arg[i]] += gy[i]
                            }
                        }
                    }
                }
            }
            return [Tensor(shape: x.shape, scalars: dx)]
        }
    }

    /// Keras's `AveragePooling2D` core: the mean of each window over the elements inside the image (padding is not
    /// counted, as in TensorFlow and Keras).
    public static func averagePool2d(_ x: Tensor, geometry g: WindowGeometry) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oh, ow) = g.outputSize(height: h, width: w)
        var out = [Float](repeating: 0, count: n * oh * ow * c)
        x.scalars.withUnsafeBufferPointer { src in
            forEachWindow(n: n, h: h, w: w, c: c, geometry: g) { outBase, taps in
                let scale = taps.isEmpty ? 0 : 1 / Float(taps.count)
                for ch in 0..<c {
                    var sum: Float = 0
                    for tap in taps { sum += src[tap + ch] }
                    out[outBase + ch] = sum * scale
                }
            }
        }
        let result = Tensor(shape: [n, oh, ow, c], scalars: out)
        return .recorded(result, from: [x]) { grad, _ in
            var dx = [Float](repeating: 0, count: x.count)
            grad.scalars.withUnsafeBufferPointer { gy in
                forEachWindow(n: n, h: h, w: w, c: c, geometry: g) { outBase, taps in
                    let scale = taps.isEmpty ? 0 : 1 / Float(taps.count)
                    for tap in taps {
                        for ch in 0..<c { dx[tap + ch] += gy[outBase + ch] * scale }
                    }
                }
            }
            return [Tensor(shape: x.shape, scalars: dx)]
        }
    }

    /// Calls `body` once per output position, in row-major order, with the output's flat offset (channel 0) and
    /// the flat input offsets (channel 0) of the window's taps that lie inside the image — or, with
    /// `keepingPadding`, of every tap in `(kh, kw)` order, -1 for a tap in the padding.
    static func forEachWindow(n: Int, h: Int, w: Int, c: Int, geometry g: WindowGeometry, keepingPadding: Bool = false,
                              _ body: (Int, [Int]) -> Void) {
        let (oh, ow) = g.outputSize(height: h, width: w)
        var taps: [Int] = []
        taps.reserveCapacity(g.kernel.0 * g.kernel.1)
        var outBase = 0
        for b in 0..<n {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    taps.removeAll(keepingCapacity: true)
                    for ky in 0..<g.kernel.0 {
                        let iy = oy * g.strides.0 - g.padding.top + ky * g.dilation.0
                        for kx in 0..<g.kernel.1 {
                            let ix = ox * g.strides.1 - g.padding.left + kx * g.dilation.1
                            if iy >= 0 && iy < h && ix >= 0 && ix < w {
                                taps.append(((b * h + iy) * w + ix) * c)
                            } else if keepingPadding {
                                taps.append(-1)
                            }
                        }
                    }
                    body(outBase, taps)
                    outBase += c
                }
            }
        }
    }

    /// Keras's `ZeroPadding2D` / `UpSampling2D`-style spatial copy: pads `[batch, h, w, c]` with zeros.
    public func zeroPadded2d(top: Int, bottom: Int, left: Int, right: Int) -> Tensor {
        let (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3])
        let (oh, ow) = (h + top + bottom, w + left + right)
        var out = [Float](repeating: 0, count: n * oh * ow * c)
        var offsets = [Int](repeating: 0, count: count)   // input element → output element
        var i = 0
        for b in 0..<n {
            for y in 0..<h {
                for x in 0..<w {
                    let base = ((b * oh + y + top) * ow + x + left) * c
                    for ch in 0..<c { offsets[i] = base + ch; out[base + ch] = scalars[i]; i += 1 }
                }
            }
        }
        let result = Tensor(shape: [n, oh, ow, c], scalars: out)
        let inShape = shape
        return .recorded(result, from: [self]) { grad, _ in
            [Tensor(shape: inShape, scalars: offsets.map { grad.scalars[$0] })]
        }
    }

    /// Keras's `UpSampling2D` (nearest): repeats each row `rows` times and each column `columns` times.
    public func upsampled2d(rows: Int, columns: Int) -> Tensor {
        let (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3])
        let (oh, ow) = (h * rows, w * columns)
        var source = [Int](repeating: 0, count: n * oh * ow * c)   // output element → input element
        var i = 0
        for b in 0..<n {
            for y in 0..<oh {
                for x in 0..<ow {
                    let base = ((b * h + y / rows) * w + x / columns) * c
                    for ch in 0..<c { source[i] = base + ch; i += 1 }
                }
            }
        }
        let result = Tensor(shape: [n, oh, ow, c], scalars: source.map { scalars[$0] })
        let inShape = shape
        return .recorded(result, from: [self]) { grad, _ in
            var dx = [Float](repeating: 0, count: inShape.elementCount)
            for (o, s) in source.enumerated() { dx[s] += grad.scalars[o] }
            return [Tensor(shape: inShape, scalars: dx)]
        }
    }
}
