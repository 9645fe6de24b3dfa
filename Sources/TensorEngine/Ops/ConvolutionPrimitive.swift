import CKernels
import CMatMul

/// Ungrouped convolutions on oneDNN's convolution primitives (`CConvolution`), which run in oneDNN's own layouts
/// (each call reorders channels-last operands in and the result out). On keras.io's mnist_convnet they ran 1.5–4×
/// faster than im2col + matrix products, reorders included (`tools/conv_bench.c`). Each pass returns nil when
/// oneDNN cannot run the shape; the caller then uses im2col.
enum ConvolutionPrimitive {
    /// The forward pass for all images, the images split over the cores (each image's output is its own).
    static func forward(_ x: [Float], _ kernel: [Float], volume v: Volume, rank: Int, filters: Int) -> [Float]? {
        overImages(volume: v, rank: rank, filters: filters, outputPerImage: v.outputsPerImage * filters) { shape, first, count, out in
            x.withUnsafeBufferPointer { px in
                kernel.withUnsafeBufferPointer { pk in
                    sk_conv_forward(&shape, px.baseAddress! + first * v.inputsPerImage * v.c, pk.baseAddress!, out)
                }
            }
        }
    }

    /// The input's gradient for all images, the images split over the cores.
    static func backwardData(_ dy: [Float], _ kernel: [Float], volume v: Volume, rank: Int, filters: Int) -> [Float]? {
        overImages(volume: v, rank: rank, filters: filters, outputPerImage: v.inputsPerImage * v.c) { shape, first, count, out in
            dy.withUnsafeBufferPointer { pdy in
                kernel.withUnsafeBufferPointer { pk in
                    sk_conv_backward_data(&shape, pdy.baseAddress! + first * v.outputsPerImage * filters, pk.baseAddress!, out)
                }
            }
        }
    }

    /// The kernel's gradient: each core sums over its block of images, then the blocks' sums are added in block
    /// order (so the result depends on the number of cores, not on timing).
    static func backwardWeights(_ x: [Float], _ dy: [Float], volume v: Volume, rank: Int, filters: Int) -> [Float]? {
        let size = v.taps * v.c * filters
        guard var partials = overImages(volume: v, rank: rank, filters: filters, outputPerImage: 0, outputPerBlock: size, { shape, first, _, out in
            x.withUnsafeBufferPointer { px in
                dy.withUnsafeBufferPointer { pdy in
                    sk_conv_backward_weights(&shape, px.baseAddress! + first * v.inputsPerImage * v.c,
                                             pdy.baseAddress! + first * v.outputsPerImage * filters, out)
                }
            }
        }) else { return nil }
        guard partials.count > size else { return partials }
        partials.withUnsafeMutableBufferPointer { p in
            for block in 1..<(p.count / size) { sk_accumulate(p.baseAddress!, p.baseAddress! + block * size, size) }
        }
        return Array(partials[0..<size])
    }

    /// Runs `body(shape, firstImage, imageCount, output)` on blocks of images, one per core, into a new array:
    /// `outputPerImage` floats per image (block outputs side by side), or `outputPerBlock` floats per block (each
    /// block's own sum); nil if any block failed.
    private static func overImages(volume v: Volume, rank: Int, filters: Int, outputPerImage: Int, outputPerBlock: Int = 0,
                                   _ body: (inout sk_conv_shape, Int, Int, UnsafeMutablePointer<Float>) -> Int32) -> [Float]? {
        guard v.n > 0, outputPerImage + outputPerBlock > 0 else { return nil }
        let per = (v.n + Parallel.threadCount - 1) / Parallel.threadCount
        let blocks = (v.n + per - 1) / per   // none of them empty
        var failed = false
        let out = Kernels.make(v.n * outputPerImage + blocks * outputPerBlock) { out in
            var statuses = [Int32](repeating: 0, count: blocks)
            statuses.withUnsafeMutableBufferPointer { status in
                Parallel.run(blocks) { block in
                    let first = block * per, count = Swift.min(v.n, first + per) - first
                    var shape = self.shape(v, rank: rank, filters: filters, images: count)
                    status[block] = body(&shape, first, count, out + first * outputPerImage + block * outputPerBlock)
                }
            }
            failed = statuses.contains { $0 != 0 }
        }
        return failed ? nil : out
    }

    private static func shape(_ v: Volume, rank: Int, filters: Int, images: Int) -> sk_conv_shape {
        var s = sk_conv_shape()
        s.rank = rank
        (s.n, s.c, s.f) = (images, v.c, filters)
        s.in = (v.input[0], v.input[1], v.input[2])
        s.out = (v.output[0], v.output[1], v.output[2])
        s.kernel = (v.kernel[0], v.kernel[1], v.kernel[2])
        s.strides = (v.strides[0], v.strides[1], v.strides[2])
        s.dilation = (v.dilation[0], v.dilation[1], v.dilation[2])
        s.pad_before = (v.padBefore[0], v.padBefore[1], v.padBefore[2])
        return s
    }
}
