/// Copies that change the spatial size of channels-last inputs (`[batch, *spatial, channels]`, one to three
/// spatial axes) position by position: zero padding and nearest-neighbour upsampling, forward and backward.
extension Tensor {
    /// Keras's `ZeroPadding1D/2D/3D`: `before[i]` and `after[i]` zero positions around spatial axis `i`.
    public func zeroPadded(before: [Int], after: [Int]) -> Tensor {
        let r = rank - 2
        precondition(r >= 1 && r <= 3 && before.count == r && after.count == r,
                     "zeroPadded needs one amount per spatial axis of shape \(shape), got \(before) and \(after)")
        let outSpatial = (0..<r).map { shape[$0 + 1] + before[$0] + after[$0] }
        let (input, output) = (volumeSize(Array(shape[1...r])), volumeSize(outSpatial))
        let shift = Array(repeating: 0, count: 3 - r) + before
        // input position → output position
        let targets = Self.positions(batch: shape[0], input) { b, z, y, x in
            ((b * output[0] + z + shift[0]) * output[1] + y + shift[1]) * output[2] + x + shift[2]
        }
        let c = shape[r + 1], outShape = [shape[0]] + outSpatial + [c], inShape = shape
        let result = Tensor(shape: outShape, scalars: Self.copyingRuns(scalars, into: outShape.elementCount, c, positions: targets.count,
                                                                         from: { $0 }, to: { targets[$0] }))
        return .recorded(result, from: [self]) { grad, _ in
            [Tensor(shape: inShape, scalars: Self.copyingRuns(grad.scalars, into: inShape.elementCount, c, positions: targets.count,
                                                             from: { targets[$0] }, to: { $0 }))]
        }
    }

    /// Keras's `UpSampling1D/2D/3D` (nearest): repeats each position `factors[i]` times along spatial axis `i`.
    public func upsampled(_ factors: [Int]) -> Tensor {
        let r = rank - 2
        precondition(r >= 1 && r <= 3 && factors.count == r && factors.allSatisfy { $0 >= 1 },
                     "upsampled needs one positive factor per spatial axis of shape \(shape), got \(factors)")
        let outSpatial = (0..<r).map { shape[$0 + 1] * factors[$0] }
        let (input, output) = (volumeSize(Array(shape[1...r])), volumeSize(outSpatial))
        let f = Array(repeating: 1, count: 3 - r) + factors
        // output position → input position
        let sources = Self.positions(batch: shape[0], output) { b, z, y, x in
            ((b * input[0] + z / f[0]) * input[1] + y / f[1]) * input[2] + x / f[2]
        }
        let c = shape[r + 1], outShape = [shape[0]] + outSpatial + [c], inShape = shape
        let result = Tensor(shape: outShape, scalars: Self.copyingRuns(scalars, into: outShape.elementCount, c, positions: sources.count,
                                                                         from: { sources[$0] }, to: { $0 }))
        return .recorded(result, from: [self]) { grad, _ in
            var dx = [Float](repeating: 0, count: inShape.elementCount)
            for (o, s) in sources.enumerated() {
                for ch in 0..<c { dx[s * c + ch] += grad.scalars[o * c + ch] }
            }
            return [Tensor(shape: inShape, scalars: dx)]
        }
    }

    /// A spatial size of one to three axes as (depth, height, width), leading axes of size 1.
    private func volumeSize(_ spatial: [Int]) -> [Int] { Array(repeating: 1, count: 3 - spatial.count) + spatial }

    /// `index(b, z, y, x)` for every position of a `batch × size` volume, in row-major order.
    private static func positions(batch: Int, _ size: [Int], _ index: (Int, Int, Int, Int) -> Int) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(batch * size[0] * size[1] * size[2])
        for b in 0..<batch { for z in 0..<size[0] { for y in 0..<size[1] { for x in 0..<size[2] { out.append(index(b, z, y, x)) } } } }
        return out
    }

    /// A zero buffer of `count` elements into which the `c` channels of source position `from(i)` are copied at
    /// target position `to(i)`, for `i` in `0..<positions`.
    private static func copyingRuns(_ source: [Float], into count: Int, _ c: Int, positions: Int,
                                    from: (Int) -> Int, to: (Int) -> Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        for i in 0..<positions {
            let (s, t) = (from(i) * c, to(i) * c)
            for ch in 0..<c { out[t + ch] = source[s + ch] }
        }
        return out
    }
}
