import TensorEngine

/// Keras's `RandomZoom`: in training, zooms each image about its centre by factors drawn uniformly from
/// `1 + height_factor` (and `1 + width_factor`, or the same factor when that is null); a factor above 1 zooms out.
/// Points outside the image are filled by `fill_mode`. The identity at inference.
public final class RandomZoom: ImagePreprocessingLayer {
    /// The range of the vertical zoom factor (Keras's `height_factor`; negative zooms in).
    public let heightFactor: FactorRange
    /// nil: the width is zoomed by the height's factor (the aspect ratio is kept).
    public let widthFactor: FactorRange?
    let options: AffineOptions
    /// The factors as written in the config (Keras saves them as given).
    private let factorsJSON: (height: JSON, width: JSON)

    /// A layer zooming channels-last images by up to `heightFactor` (and `widthFactor`) either way.
    public init(heightFactor: Double, widthFactor: Double? = nil, fillMode: FillMode = .reflect,
                interpolation: SamplingInterpolation = .bilinear, fillValue: Float = 0, seed: Int? = nil, dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        self.heightFactor = FactorRange(-Swift.abs(heightFactor), Swift.abs(heightFactor))
        self.widthFactor = widthFactor.map { FactorRange(-Swift.abs($0), Swift.abs($0)) }
        factorsJSON = (.double(heightFactor), widthFactor.map { .double($0) } ?? .null)
        options = AffineOptions(fillMode: fillMode, fillValue: fillValue, interpolation: interpolation)
        super.init(dataFormat: dataFormat, seed: seed, name: name)
    }

    public required init(from config: ConfigReader) throws {
        let inRange = { (f: Double) in f > -1 && f <= 1 }
        factorsJSON = (config.object["height_factor"] ?? .null, config.object["width_factor"] ?? .null)
        heightFactor = FactorRange.symmetric(factorsJSON.height, key: "height_factor", allowed: inRange, range: "(-1, 1]", config)
        widthFactor = factorsJSON.width == .null ? nil
            : FactorRange.symmetric(factorsJSON.width, key: "width_factor", allowed: inRange, range: "(-1, 1]", config)
        options = AffineOptions(config)
        try super.init(from: config)
    }

    /// Draws `count` pairs of zoom factors (height, width).
    public func drawZooms(_ count: Int) -> [(height: Float, width: Float)] {
        let heights = uniform(count, 1 + heightFactor.lower, 1 + heightFactor.upper)
        let widths = widthFactor.map { uniform(count, 1 + $0.lower, 1 + $0.upper) } ?? heights
        return Array(zip(heights, widths))
    }

    /// Zooms each image by its factors (Keras's `_get_zoom_matrix`).
    public func zoom(_ images: Tensor, _ zooms: [(height: Float, width: Float)]) throws -> Tensor {
        let (h, w) = try imageSize(images)
        let maps = zooms.map { z in
            AffineMap(a0: z.width, a1: 0, a2: ((Float(w) - 1) / 2) * (1 - z.width),
                      b0: 0, b1: z.height, b2: ((Float(h) - 1) / 2) * (1 - z.height))
        }
        return affineTransform(images, maps, options)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard training else { return inputs }
        return try zoom(inputs, drawZooms(inputs.shape.first ?? 0))
    }

    public override func config() -> JSONObject {
        var c = super.config()
        c["height_factor"] = factorsJSON.height
        c["width_factor"] = factorsJSON.width
        for (key, value) in options.json { c[key] = value }
        return c
    }
}
