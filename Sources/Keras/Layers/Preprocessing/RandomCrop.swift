import TensorEngine

/// Keras's `RandomCrop`: in training, crops a `height × width` window at a position drawn uniformly (one position
/// for the whole batch, as Keras draws it); for images not larger than that on both sides the window starts at the
/// corner of their central crop to the target's aspect ratio, and what it keeps is resized (bilinear).
///
/// At inference Keras 3 returns the images unchanged — uncropped, whatever the output shape it declares — and so
/// does this layer.
public final class RandomCrop: ImageCropLayer {
    /// A layer cropping `height × width` windows out of channels-last images.
    public init(height: Int, width: Int, seed: Int? = nil, dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        super.init(height: height, width: width, dataFormat: dataFormat, seed: seed, name: name)
    }

    public required init(from config: ConfigReader) throws {
        try super.init(from: config)
    }

    /// Draws the window's top-left corner for images of `imageHeight × imageWidth` (Keras's
    /// `int(uniform(0, size − crop + 1))`). Images not larger than the window on both sides get the corner of their
    /// central crop to the target's aspect ratio instead, as Keras computes it.
    public func drawCorner(imageHeight: Int, imageWidth: Int) -> (top: Int, left: Int) {
        guard imageHeight > height, imageWidth > width else {
            let crop = ImageResizing.centralCrop(height: imageHeight, width: imageWidth, toAspectOf: height, width)
            return (crop.top, crop.left)
        }
        let top = Int(uniform(1, 0, Double(imageHeight - height + 1))[0])
        let left = Int(uniform(1, 0, Double(imageWidth - width + 1))[0])
        return (Swift.min(top, imageHeight - height), Swift.min(left, imageWidth - width))
    }

    /// Crops the `height × width` window at `corner` (cut short at the images' edges, as Keras's slicing is) and
    /// resizes what is left to `height × width` (bilinear) when it is smaller.
    public func crop(_ images: Tensor, at corner: (top: Int, left: Int)) throws -> Tensor {
        let (h, w) = try imageSize(images)
        let axes = dataFormat.spatialAxes
        let (rows, columns) = (Swift.min(height, h - corner.top), Swift.min(width, w - corner.left))
        let window = images.slice(alongAxis: axes.height, from: corner.top, count: rows).slice(alongAxis: axes.width, from: corner.left, count: columns)
        guard rows != height || columns != width else { return window }
        return ImageResizing(height: height, width: width, dataFormat: dataFormat)(window)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard training else { return inputs }
        let (h, w) = try imageSize(inputs)
        return try crop(inputs, at: drawCorner(imageHeight: h, imageWidth: w))
    }
}
