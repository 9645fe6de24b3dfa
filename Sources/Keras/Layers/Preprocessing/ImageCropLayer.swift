import TensorEngine

/// What `CenterCrop` and `RandomCrop` share: a target `height × width`, read from and written to Keras's config,
/// which is each image's size in the output.
open class ImageCropLayer: ImagePreprocessingLayer {
    /// The output images' height.
    public let height: Int
    /// The output images' width.
    public let width: Int

    /// A layer giving `height × width` images.
    public init(height: Int, width: Int, dataFormat: DataFormat = .channelsLast, seed: Int? = nil, name: String? = nil) {
        self.height = height
        self.width = width
        super.init(dataFormat: dataFormat, seed: seed, name: name)
    }

    public required init(from config: ConfigReader) throws {
        height = config.require("height")
        width = config.require("width")
        if height <= 0 || width <= 0 { config.report("height and width must be positive, found \(height)×\(width)") }
        try super.init(from: config)
    }

    /// The input shape with its height and width replaced by the target's.
    open override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        _ = try super.outputShape(forInputShape: inputShape)
        return dataFormat.replacingSpatialSize(of: inputShape, height: height, width: width)
    }

    open override func config() -> JSONObject {
        var c = super.config()
        c["height"] = .int(height)
        c["width"] = .int(width)
        return c
    }
}
