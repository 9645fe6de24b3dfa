import TensorEngine

/// Keras's `RandomTranslation`: in training, shifts each image by fractions of its height and width drawn
/// uniformly from `height_factor` and `width_factor` (positive: down and right), filling by `fill_mode`. The
/// identity at inference.
public final class RandomTranslation: ImagePreprocessingLayer {
    /// The range of the vertical shift, as a fraction of the height (Keras's `height_factor`).
    public let heightFactor: FactorRange
    /// The range of the horizontal shift, as a fraction of the width (Keras's `width_factor`).
    public let widthFactor: FactorRange
    let options: AffineOptions
    /// The factors as written in the config (Keras saves them as given).
    private let factorsJSON: (height: JSON, width: JSON)

    /// A layer shifting channels-last images by up to `heightFactor` of their height and `widthFactor` of their
    /// width either way.
    public init(heightFactor: Double, widthFactor: Double, fillMode: FillMode = .reflect,
                interpolation: SamplingInterpolation = .bilinear, fillValue: Float = 0, seed: Int? = nil, dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        self.heightFactor = FactorRange(-Swift.abs(heightFactor), Swift.abs(heightFactor))
        self.widthFactor = FactorRange(-Swift.abs(widthFactor), Swift.abs(widthFactor))
        factorsJSON = (.double(heightFactor), .double(widthFactor))
        options = AffineOptions(fillMode: fillMode, fillValue: fillValue, interpolation: interpolation)
        super.init(dataFormat: dataFormat, seed: seed, name: name)
    }

    public required init(from config: ConfigReader) throws {
        let inRange = { (f: Double) in f >= -1 && f <= 1 }
        factorsJSON = (config.object["height_factor"] ?? .null, config.object["width_factor"] ?? .null)
        heightFactor = FactorRange.symmetric(factorsJSON.height, key: "height_factor", allowed: inRange, range: "[-1, 1]", config)
        widthFactor = FactorRange.symmetric(factorsJSON.width, key: "width_factor", allowed: inRange, range: "[-1, 1]", config)
        options = AffineOptions(config)
        try super.init(from: config)
    }

    /// Draws `count` shifts in pixels (down, right) for images of `height × width`.
    public func drawTranslations(_ count: Int, height: Int, width: Int) -> [(down: Float, right: Float)] {
        let downs = uniform(count, heightFactor.lower, heightFactor.upper).map { $0 * Float(height) }
        let rights = uniform(count, widthFactor.lower, widthFactor.upper).map { $0 * Float(width) }
        return Array(zip(downs, rights))
    }

    /// Shifts each image by its translation in pixels (Keras's `_get_translation_matrix`).
    public func translate(_ images: Tensor, _ shifts: [(down: Float, right: Float)]) throws -> Tensor {
        _ = try imageSize(images)
        return affineTransform(images, shifts.map { AffineMap(a0: 1, a1: 0, a2: -$0.right, b0: 0, b1: 1, b2: -$0.down) }, options)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard training else { return inputs }
        let (h, w) = try imageSize(inputs)
        return try translate(inputs, drawTranslations(inputs.shape[0], height: h, width: w))
    }

    public override func config() -> JSONObject {
        var c = super.config()
        c["height_factor"] = factorsJSON.height
        c["width_factor"] = factorsJSON.width
        for (key, value) in options.json { c[key] = value }
        return c
    }
}
