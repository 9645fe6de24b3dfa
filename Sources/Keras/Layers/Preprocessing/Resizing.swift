import TensorEngine

/// Keras's `Resizing`: resizes images to `height × width` with `jax.image.resize`'s interpolation (bilinear by
/// default), optionally cropping (`crop_to_aspect_ratio`) or padding with `fill_value` (`pad_to_aspect_ratio`) to
/// the target's aspect ratio first. It resizes at inference and in training alike, and is differentiable.
public final class Resizing: ImagePreprocessingLayer {
    /// The target size and how it is reached.
    let resizing: ImageResizing

    /// A layer resizing channels-last images to `height × width`.
    public init(height: Int, width: Int, interpolation: ResizeInterpolation = .bilinear, cropToAspectRatio: Bool = false,
                name: String? = nil) {
        resizing = ImageResizing(height: height, width: width, interpolation: interpolation, cropToAspectRatio: cropToAspectRatio)
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        resizing = ImageResizing(height: config.require("height"), width: config.require("width"), config)
        try super.init(from: config)
    }

    public override class var hasSeed: Bool { false }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        _ = try imageSize(inputs)
        return resizing(inputs)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        try resizing.outputShape(inputShape, displayName)
    }

    public override func config() -> JSONObject {
        var c = super.config()
        c["height"] = .int(resizing.height)
        c["width"] = .int(resizing.width)
        for (key, value) in resizing.json { c[key] = value }
        return c
    }
}
