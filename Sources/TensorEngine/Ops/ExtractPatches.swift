extension Tensor {
    /// Keras's `ops.image.extract_patches` on a batch of channels-last images `[n, h, w, c]`: every window of
    /// `geometry` laid out as one vector of `kh·kw·c` values in `(row, column, channel)` order (zeros in the
    /// padding), giving `[n, outH, outW, kh·kw·c]` — what Keras computes as a convolution with an identity kernel.
    /// Its gradient adds each window's gradient back onto the pixels it read.
    public static func extractPatches(_ images: Tensor, geometry g: WindowGeometry) -> Tensor {
        precondition(images.rank == 4 && g.rank == 2, "extractPatches needs images [n, h, w, c] and a 2-D window, got \(images.shape)")
        let v = Volume(shape: images.shape, geometry: g)
        let patch = v.taps * v.c
        let outputShape = [v.n] + Array(v.output.suffix(2)) + [patch]
        var cols = uninitializedFloats(outputShape.elementCount)
        im2col(images.scalars, &cols, volume: v, channelOffset: 0, channelCount: v.c)
        return .recorded(Tensor(shape: outputShape, scalars: cols), from: [images]) { grad, _ in
            var dx = [Float](repeating: 0, count: images.count)
            col2im(grad.scalars, into: &dx, volume: v, channelOffset: 0, channelCount: v.c)
            return [Tensor(shape: images.shape, scalars: dx)]
        }
    }
}
