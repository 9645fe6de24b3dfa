import Foundation

/// The interpolations of `jax.image.resize` (Keras's `ops.image.resize` and `Resizing` on the JAX backend).
public enum ResizeInterpolation: String, CaseIterable, Sendable {
    /// Linear in each axis (a triangle kernel).
    case bilinear
    /// The nearest input pixel.
    case nearest
    /// Keys's cubic kernel (a = −0.5).
    case bicubic
    /// The mean of the input area each output pixel covers.
    case area
    /// The Lanczos kernel with 3 lobes.
    case lanczos3
    /// The Lanczos kernel with 5 lobes.
    case lanczos5
}

/// How each output position of one resized axis reads the input axis: a list of `(input index, weight)` taps,
/// the weight matrix of `jax.image.resize` (`compute_weight_mat`) kept by columns without its zeros.
public struct ResampleTaps: Sendable {
    /// The size of the input axis.
    public let inputSize: Int
    /// For each output position, the input positions it reads and their weights.
    public let taps: [[(index: Int, weight: Float)]]

    /// The output size.
    public var outputSize: Int { taps.count }

    /// The taps of `jax.image.resize(…, method, antialias)` from `inputSize` to `outputSize` positions (scale
    /// `outputSize / inputSize`, no translation; half-pixel centres).
    public init(from inputSize: Int, to outputSize: Int, interpolation: ResizeInterpolation, antialias: Bool) {
        self.inputSize = inputSize
        if interpolation == .nearest {
            // `_resize_nearest`: floor((j + 0.5) · m / n), computed in float32 as JAX does.
            taps = (0..<outputSize).map { j in
                let offset = ((Float(j) + 0.5) * Float(inputSize) / Float(outputSize)).rounded(.down)
                return [(Swift.min(Int(offset), inputSize - 1), 1)]
            }
            return
        }
        let scale = Double(Float(outputSize) / Float(inputSize))
        let invScale = 1 / scale
        let kernelScale = antialias ? Swift.max(invScale, 1) : 1
        var columns: [[(index: Int, weight: Float)]] = []
        for j in 0..<outputSize {
            var weights = [Double](repeating: 0, count: inputSize)
            if interpolation == .area {
                // The overlap of the output pixel [L, L + 1/scale] with each input pixel [k, k + 1].
                let left = Double(j) * invScale
                for k in 0..<inputSize { weights[k] = Swift.max(0, Swift.min(left + invScale, Double(k + 1)) - Swift.max(left, Double(k))) }
            } else {
                let sample = (Double(j) + 0.5) * invScale - 0.5
                for k in 0..<inputSize { weights[k] = Self.kernel(interpolation, Swift.abs(sample - Double(k)) / kernelScale) }
            }
            let total = weights.reduce(0, +)
            let sample = (Double(j) + 0.5) * invScale - 0.5
            // Weights are normalized (unless they sum to almost nothing), and zeroed where the sample lies outside
            // the input.
            let usable = Swift.abs(total) > 1000 * Double(Float.ulpOfOne) && sample >= -0.5 && sample <= Double(inputSize) - 0.5
            columns.append(usable ? weights.enumerated().compactMap { k, w in w == 0 ? nil : (k, Float(w / total)) } : [])
        }
        taps = columns
    }

    /// JAX's resampling kernels at distance `x ≥ 0` (`_fill_triangle_kernel`, `_fill_keys_cubic_kernel`,
    /// `_fill_lanczos_kernel`).
    static func kernel(_ interpolation: ResizeInterpolation, _ x: Double) -> Double {
        switch interpolation {
        case .bilinear: return Swift.max(0, 1 - x)
        case .bicubic:
            if x >= 2 { return 0 }
            if x >= 1 { return ((-0.5 * x + 2.5) * x - 4) * x + 2 }
            return ((1.5 * x - 2.5) * x) * x + 1
        case .lanczos3, .lanczos5:
            let radius: Double = interpolation == .lanczos3 ? 3 : 5
            if x > radius { return 0 }
            if x <= 1e-3 { return 1 }
            return radius * Foundation.sin(Double.pi * x) * Foundation.sin(Double.pi * x / radius) / (Double.pi * Double.pi * x * x)
        case .nearest, .area: return 0
        }
    }
}

extension Tensor {
    /// Resamples `axis` with `taps`: `out[…, j, …] = Σ weight · self[…, index, …]` over the taps of output `j`.
    /// Its gradient spreads each output's gradient back over the taps it read (the transposed weights).
    public func resampled(alongAxis axis: Int, taps: ResampleTaps) -> Tensor {
        let a = normalizedAxis(axis)
        let (outer, size, inner) = split(at: a)
        precondition(size == taps.inputSize, "resampled: axis \(axis) of shape \(shape) does not have \(taps.inputSize) positions")
        let outSize = taps.outputSize
        var outShape = shape
        outShape[a] = outSize
        let out = scalars.withUnsafeBufferPointer { src in
            Kernels.make(outShape.elementCount) { dst in
                guard let src = src.baseAddress else { dst.initialize(repeating: 0, count: outShape.elementCount); return }
                Parallel.forEachChunk(outer, grain: Swift.max(1, Parallel.grain / Swift.max(outSize * inner, 1))) { rows in
                    for o in rows {
                        for (j, column) in taps.taps.enumerated() {
                            let to = dst + (o * outSize + j) * inner
                            to.initialize(repeating: 0, count: inner)
                            for (k, w) in column {
                                let from = src + (o * size + k) * inner
                                for i in 0..<inner { to[i] += w * from[i] }
                            }
                        }
                    }
                }
            }
        }
        let inShape = shape
        return .recorded(Tensor(shape: outShape, scalars: out), from: [self]) { g, _ in
            var dx = [Float](repeating: 0, count: outer * size * inner)
            g.scalars.withUnsafeBufferPointer { gy in
                dx.withUnsafeMutableBufferPointer { d in
                    for o in 0..<outer {
                        for (j, column) in taps.taps.enumerated() {
                            let from = (o * outSize + j) * inner
                            for (k, w) in column {
                                let to = (o * size + k) * inner
                                for i in 0..<inner { d[to + i] += w * gy[from + i] }
                            }
                        }
                    }
                }
            }
            return [Tensor(shape: inShape, scalars: dx)]
        }
    }

    /// `jax.image.resize` of the two spatial axes of a batch of images (`[n, h, w, c]`, or `[n, c, h, w]` with
    /// `channelsFirst`) to `height × width`. Each axis whose size changes is resampled on its own (the
    /// interpolations are separable); an axis whose size stays is left untouched, as in JAX.
    public func resizedImages(height: Int, width: Int, interpolation: ResizeInterpolation, antialias: Bool = false,
                              channelsFirst: Bool = false) -> Tensor {
        precondition(rank == 4 && height > 0 && width > 0, "resizedImages: images of shape \(shape) to \(height)×\(width)")
        let (hAxis, wAxis) = channelsFirst ? (2, 3) : (1, 2)
        var x = self
        for (axis, size) in [(hAxis, height), (wAxis, width)] where x.shape[axis] != size {
            x = x.resampled(alongAxis: axis, taps: ResampleTaps(from: x.shape[axis], to: size, interpolation: interpolation, antialias: antialias))
        }
        return x
    }
}
