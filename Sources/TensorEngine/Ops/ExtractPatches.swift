extension Tensor {
    /// Keras's `ops.image.extract_patches` on a batch of channels-last images `[n, h, w, c]`: every window of
    /// `geometry` laid out as one vector of `kh·kw·c` values in `(row, column, channel)` order (zeros in the
    /// padding), giving `[n, outH, outW, kh·kw·c]` — what Keras computes as a convolution with an identity kernel.
    /// Its gradient adds each window's gradient back onto the pixels it read.
    public static func extractPatches(_ images: Tensor, geometry g: WindowGeometry) -> Tensor {
        precondition(images.rank == 4, "extractPatches needs images [n, h, w, c], got \(images.shape)")
        let (n, h, w, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let (oh, ow) = g.outputSize(height: h, width: w)
        let patch = g.kernel.0 * g.kernel.1 * c
        var cols = uninitializedFloats(n * oh * ow * patch)
        im2col(images.scalars, &cols, batch: n, height: h, width: w, channels: c, channelOffset: 0, channelCount: c, geometry: g)
        return .recorded(Tensor(shape: [n, oh, ow, patch], scalars: cols), from: [images]) { grad, _ in
            var dx = [Float](repeating: 0, count: images.count)
            col2im(grad.scalars, into: &dx, batch: n, height: h, width: w, channels: c, channelOffset: 0, channelCount: c, geometry: g)
            return [Tensor(shape: images.shape, scalars: dx)]
        }
    }
}
