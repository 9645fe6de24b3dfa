import CKernels

/// Max and average pooling over 1-D, 2-D and 3-D windows of channels-last inputs, forward and backward.
extension Tensor {
    /// Keras's `MaxPooling1D/2D/3D` core: the largest element of each window, per channel; padding never wins (a
    /// window entirely in the padding gives 0). The gradient goes to the first largest element of each window.
    public static func maxPool(_ x: Tensor, geometry g: WindowGeometry) -> Tensor {
        let v = Volume(shape: x.shape, geometry: g)
        let c = v.c
        let count = v.n * v.outputsPerImage * c
        var out = [Float](repeating: 0, count: count)
        var argmax = [Int](repeating: -1, count: count)
        x.scalars.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                argmax.withUnsafeMutableBufferPointer { arguments in
                    guard let src = source.baseAddress, let dst = target.baseAddress, let arg = arguments.baseAddress else { return }
                    v.forEveryTap(work: v.taps * c) { row, _, input in
                        guard input >= 0 else { return }
                        sk_max_tap(dst + row * c, arg + row * c, src, input * c, c)
                    }
                }
            }
        }
        let result = Tensor(shape: [v.n] + Array(v.output.suffix(g.rank)) + [c], scalars: out)
        return .recorded(result, from: [x]) { grad, _ in
            var dx = [Float](repeating: 0, count: x.count)
            grad.scalars.withUnsafeBufferPointer { gy in
                argmax.withUnsafeBufferPointer { arg in
                    dx.withUnsafeMutableBufferPointer { d in
                        // Each image's outputs point into that image only: images go to the cores.
                        let perImage = v.outputsPerImage * c
                        Parallel.forEachChunk(v.n, grain: Swift.max(1, Parallel.grain / Swift.max(perImage, 1))) { images in
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

    /// Keras's `AveragePooling1D/2D/3D` core: the mean of each window over the elements inside the input (padding is
    /// not counted, as in TensorFlow and Keras).
    public static func averagePool(_ x: Tensor, geometry g: WindowGeometry) -> Tensor {
        let v = Volume(shape: x.shape, geometry: g)
        let c = v.c
        var out = [Float](repeating: 0, count: v.n * v.outputsPerImage * c)
        var scales = [Float](repeating: 0, count: v.n * v.outputsPerImage)   // 1 / taps inside, per window
        x.scalars.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                scales.withUnsafeMutableBufferPointer { counts in
                    guard let src = source.baseAddress, let dst = target.baseAddress, let inside = counts.baseAddress else { return }
                    v.forEveryTap(work: v.taps * c) { row, _, input in
                        guard input >= 0 else { return }
                        inside[row] += 1
                        sk_accumulate(dst + row * c, src + input * c, c)
                    }
                }
            }
        }
        for row in scales.indices {
            scales[row] = scales[row] == 0 ? 0 : 1 / scales[row]
            for ch in 0..<c { out[row * c + ch] *= scales[row] }
        }
        let result = Tensor(shape: [v.n] + Array(v.output.suffix(g.rank)) + [c], scalars: out)
        return .recorded(result, from: [x]) { grad, _ in
            var dx = [Float](repeating: 0, count: x.count)
            grad.scalars.withUnsafeBufferPointer { gy in
                dx.withUnsafeMutableBufferPointer { target in
                    guard let d = target.baseAddress else { return }
                    v.forEveryTap(work: v.taps * c) { row, _, input in
                        guard input >= 0 else { return }
                        let (o, to, scale) = (row * c, input * c, scales[row])
                        for ch in 0..<c { d[to + ch] += gy[o + ch] * scale }
                    }
                }
            }
            return [Tensor(shape: x.shape, scalars: dx)]
        }
    }
}
