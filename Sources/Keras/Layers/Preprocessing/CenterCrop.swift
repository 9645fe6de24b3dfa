import TensorEngine

/// Keras's `CenterCrop`: the central `height × width` window of each image. An image smaller than that on either
/// side is instead cropped to the target's aspect ratio and resized (bilinear), as Keras's `smart_resize` does.
public final class CenterCrop: ImagePreprocessingLayer {
    public let height: Int
    public let width: Int

    /// A layer keeping the central `height × width` window of channels-last images.
    public init(height: Int, width: Int, name: String? = nil) {
        self.height = height
        self.width = width
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        height = config.require("height")
        width = config.require("width")
        if height <= 0 || width <= 0 { config.report("height and width must be positive, found \(height)×\(width)") }
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

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        _ = try super.outputShape(forInputShape: inputShape)
        return dataFormat.replacingSpatialSize(of: inputShape, height: height, width: width)
    }

    public override func config() -> JSONObject {
        var c = super.config()
        c["height"] = .int(height)
        c["width"] = .int(width)
        return c
    }
}
