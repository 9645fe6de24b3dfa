import TensorEngine

/// Keras's `CenterCrop`: the central `height × width` window of each image. An image smaller than that on either
/// side is instead cropped to the target's aspect ratio and resized (bilinear), as Keras's `smart_resize` does.
public final class CenterCrop: ImageCropLayer {
    /// A layer keeping the central `height × width` window of channels-last images.
    public init(height: Int, width: Int, name: String? = nil) {
        super.init(height: height, width: width, name: name)
    }

    public required init(from config: ConfigReader) throws {
        try super.init(from: config)
    }

    public override class var hasSeed: Bool { false }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let (h, w) = try imageSize(inputs)
        guard h >= height, w >= width else {
            return ImageResizing(height: height, width: width, cropToAspectRatio: true, dataFormat: dataFormat)(inputs)
        }
        let axes = dataFormat.spatialAxes
        return inputs.slice(alongAxis: axes.height, from: (h - height) / 2, count: height)
            .slice(alongAxis: axes.width, from: (w - width) / 2, count: width)
    }
}
