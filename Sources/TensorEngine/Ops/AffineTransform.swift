// Keras's `ops.image.affine_transform` on the JAX backend: each output pixel reads the input at a point given by a
// per-image affine map, through `jax.scipy.ndimage.map_coordinates` (nearest or bilinear, with a fill mode).

/// How points outside the image are filled (`jax.scipy.ndimage.map_coordinates`'s `mode`).
public enum FillMode: String, CaseIterable, Sendable {
    /// `k k k k | a b c d | k k k k`: the fill value (blended by bilinear weights at the border).
    case constant
    /// `a a a a | a b c d | d d d d`: the edge pixel.
    case nearest
    /// `a b c d | a b c d | a b c d`: the image repeated.
    case wrap
    /// `d c b | a b c d | c b a`: reflected about the centre of the edge pixel.
    case mirror
    /// `d c b a | a b c d | d c b a`: reflected about the edge of the last pixel.
    case reflect

    /// The input index that stands for `index` on an axis of `size`, as JAX's index fixers compute it.
    func fixed(_ index: Int, size: Int) -> Int {
        switch self {
        case .constant: return index
        case .nearest: return Swift.min(Swift.max(index, 0), size - 1)
        case .wrap: return floorMod(index, size)
        case .mirror: return Self.mirrored(index, size)
        case .reflect: return floorDiv(Self.mirrored(2 * index + 1, 2 * size + 1) - 1, 2)
        }
    }

    private static func mirrored(_ index: Int, _ size: Int) -> Int {
        let s = size - 1
        guard s > 0 else { return 0 }
        return Swift.abs(floorMod(index + s, 2 * s) - s)
    }
}

private func floorMod(_ a: Int, _ b: Int) -> Int { let r = a % b; return r < 0 ? r + b : r }
private func floorDiv(_ a: Int, _ b: Int) -> Int { (a - floorMod(a, b)) / b }

/// How a point between pixels is read (`map_coordinates`'s `order`).
public enum SamplingInterpolation: String, CaseIterable, Sendable {
    /// The pixel nearest the point (ties away from zero).
    case nearest
    /// The four pixels around the point, weighted by their distances.
    case bilinear
}

/// The map from an output pixel `(x, y)` to the input point `(a0·x + a1·y + a2, b0·x + b1·y + b2)` — Keras's
/// 8-element transform `[a0, a1, a2, b0, b1, b2, c0, c1]` with no projective part (`c0 = c1 = 0`, as in every
/// Keras layer).
public struct AffineMap: Equatable, Sendable {
    /// The map's coefficients: `x_in = a0·x + a1·y + a2`, `y_in = b0·x + b1·y + b2`.
    public var a0, a1, a2, b0, b1, b2: Float

    /// The map with these coefficients.
    public init(a0: Float, a1: Float, a2: Float, b0: Float, b1: Float, b2: Float) {
        (self.a0, self.a1, self.a2, self.b0, self.b1, self.b2) = (a0, a1, a2, b0, b1, b2)
    }

    /// The identity map.
    public static let identity = AffineMap(a0: 1, a1: 0, a2: 0, b0: 0, b1: 1, b2: 0)
}

extension Tensor {
    /// Keras's `affine_transform` of a batch of images `[n, h, w, c]` (`[n, c, h, w]` with `channelsFirst`), one
    /// map per image. Differentiable with respect to the images.
    public static func affineTransform(_ images: Tensor, maps: [AffineMap], interpolation: SamplingInterpolation,
                                       fillMode: FillMode, fillValue: Float, channelsFirst: Bool = false) -> Tensor {
        precondition(images.rank == 4 && maps.count == images.shape[0], "affineTransform: \(maps.count) maps for images of shape \(images.shape)")
        if channelsFirst {
            return affineTransform(images.transposed([0, 2, 3, 1]), maps: maps, interpolation: interpolation,
                                   fillMode: fillMode, fillValue: fillValue).transposed([0, 3, 1, 2])
        }
        let (n, h, w, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let sampling = PixelSampling(maps: maps, height: h, width: w, interpolation: interpolation, fillMode: fillMode)
        let out = images.scalars.withUnsafeBufferPointer { src in
            Kernels.make(n * h * w * c) { dst in
                Parallel.forEachChunk(n * h * w, grain: Swift.max(1, Parallel.grain / Swift.max(c * 4, 1))) { pixels in
                    for p in pixels {
                        let to = dst + p * c
                        to.initialize(repeating: 0, count: c)
                        for t in (p * sampling.tapsPerPixel)..<((p + 1) * sampling.tapsPerPixel) {
                            let (pixel, weight) = (sampling.pixel[t], sampling.weight[t])
                            if pixel < 0 {
                                for ch in 0..<c { to[ch] += weight * fillValue }
                            } else if let from = src.baseAddress.map({ $0 + pixel * c }) {
                                for ch in 0..<c { to[ch] += weight * from[ch] }
                            }
                        }
                    }
                }
            }
        }
        let result = Tensor(shape: images.shape, scalars: out)
        return .recorded(result, from: [images]) { g, _ in
            var dx = [Float](repeating: 0, count: images.count)
            g.scalars.withUnsafeBufferPointer { gy in
                for p in 0..<(n * h * w) {
                    for t in (p * sampling.tapsPerPixel)..<((p + 1) * sampling.tapsPerPixel) where sampling.pixel[t] >= 0 {
                        let (to, weight) = (sampling.pixel[t] * c, sampling.weight[t])
                        for ch in 0..<c { dx[to + ch] += weight * gy[p * c + ch] }
                    }
                }
            }
            return [Tensor(shape: images.shape, scalars: dx)]
        }
    }
}

/// For every output pixel of a batch, the input pixels it reads (flat `(b·h + y)·w + x`, or -1 for the fill
/// value) and their weights, in JAX's order (rows before columns, lower before upper).
struct PixelSampling {
    let tapsPerPixel: Int
    var pixel: [Int] = []
    var weight: [Float] = []

    init(maps: [AffineMap], height h: Int, width w: Int, interpolation: SamplingInterpolation, fillMode: FillMode) {
        tapsPerPixel = interpolation == .nearest ? 1 : 4
        let count = maps.count * h * w * tapsPerPixel
        pixel.reserveCapacity(count)
        weight.reserveCapacity(count)
        for (b, m) in maps.enumerated() {
            for y in 0..<h {
                for x in 0..<w {
                    // JAX's einsum of the index grid with the swapped matrix, then the offset.
                    let (fy, fx) = (Float(y), Float(x))
                    let row = (fy * m.b1 + fx * m.b0) + m.b2
                    let column = (fy * m.a1 + fx * m.a0) + m.a2
                    let rows = Self.nodes(row, interpolation), columns = Self.nodes(column, interpolation)
                    for r in 0..<rows.count {
                        let (iy, wy) = r == 0 ? rows.first : rows.second
                        for c in 0..<columns.count {
                            let (ix, wx) = c == 0 ? columns.first : columns.second
                            let valid = fillMode != .constant || (iy >= 0 && iy < h && ix >= 0 && ix < w)
                            pixel.append(valid ? (b * h + fillMode.fixed(iy, size: h)) * w + fillMode.fixed(ix, size: w) : -1)
                            weight.append(wy * wx)
                        }
                    }
                }
            }
        }
    }

    /// The interpolation nodes on one axis: the rounded coordinate (half away from zero), or floor and floor + 1
    /// with weights `1 − f` and `f`.
    static func nodes(_ coordinate: Float, _ interpolation: SamplingInterpolation)
        -> (count: Int, first: (Int, Float), second: (Int, Float)) {
        // Far-off points (an extreme zoom) are clamped before conversion; they land in the fill either way.
        let c = Swift.min(Swift.max(coordinate.isNaN ? -2 : coordinate, -1e9), 1e9)
        switch interpolation {
        case .nearest: return (1, (Int(c.rounded(.toNearestOrAwayFromZero)), 1), (0, 0))
        case .bilinear:
            let lower = c.rounded(.down)
            let upper = c - lower
            return (2, (Int(lower), 1 - upper), (Int(lower) + 1, upper))
        }
    }
}
