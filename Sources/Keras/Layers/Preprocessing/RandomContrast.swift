import TensorEngine

/// Keras's `RandomContrast`: in training, scales each image's deviation from its per-channel mean by a factor
/// drawn uniformly from `[1 − factor[0], 1 + factor[1]]`, then clips to `value_range`. A single number `f` reads as
/// `(0, f)` (Keras's bounds for this layer are `[0, 1]`), so it only raises the contrast. The identity at inference.
public final class RandomContrast: ImagePreprocessingLayer {
    /// The range the random factor is drawn from (Keras's `factor`).
    public let factor: FactorRange
    /// The range pixel values are clipped to (Keras's `value_range`, default `[0, 255]`).
    public let valueRange: (low: Float, high: Float)

    /// A layer changing the contrast of channels-last images by up to `factor`.
    public init(factor: Double, valueRange: (Float, Float) = (0, 255), seed: Int? = nil, dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        self.factor = FactorRange(Swift.max(-Swift.abs(factor), 0), Swift.abs(factor))
        self.valueRange = valueRange
        super.init(dataFormat: dataFormat, seed: seed, name: name)
    }

    public required init(from config: ConfigReader) throws {
        factor = FactorRange.base(config.object["factor"], bounds: 0...1, config)
        valueRange = ValueRange.read(config, sorted: false)
        try super.init(from: config)
    }

    /// Draws `count` contrast factors.
    public func drawFactors(_ count: Int) -> [Float] { uniform(count, 1 - factor.lower, 1 + factor.upper) }

    /// Scales each image's contrast by its factor, then clips.
    public func adjust(_ images: Tensor, factors: [Float]) throws -> Tensor {
        _ = try imageSize(images)
        let axes = dataFormat.spatialAxes
        let mean = images.mean(alongAxis: axes.height, keepingDims: true).mean(alongAxis: axes.width, keepingDims: true)
        let scale = Tensor(shape: [factors.count, 1, 1, 1], scalars: factors)
        return ((images - mean) * scale + mean).clipped(to: valueRange.low, valueRange.high)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard training else { return inputs }
        return try adjust(inputs, factors: drawFactors(inputs.shape.first ?? 0))
    }

    public override func config() -> JSONObject {
        var c = super.config()
        c["factor"] = factor.json
        c["value_range"] = ValueRange.json(valueRange)
        return c
    }
}

/// Reading and writing Keras's `value_range`.
enum ValueRange {
    /// The pair under `value_range` (default `[0, 255]`); RandomBrightness sorts it, as Keras does.
    static func read(_ config: ConfigReader, sorted: Bool) -> (low: Float, high: Float) {
        let pair = config.value("value_range", default: [Float(0), 255])
        guard pair.count == 2 else {
            config.report("'value_range' must be a list of two numbers, found \(config.object["value_range"]?.brief ?? "nothing")")
            return (0, 255)
        }
        return sorted ? (pair.min()!, pair.max()!) : (pair[0], pair[1])
    }

    static func json(_ range: (low: Float, high: Float)) -> JSON { .array([.double(Double(range.low)), .double(Double(range.high))]) }
}
