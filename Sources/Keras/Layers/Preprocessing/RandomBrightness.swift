import TensorEngine

/// Keras's `RandomBrightness`: in training, adds to each image a delta drawn uniformly from `factor` times the width
/// of `value_range`, then clips to `value_range`. The identity at inference.
public final class RandomBrightness: ImagePreprocessingLayer {
    /// The range the random factor is drawn from (Keras's `factor`).
    public let factor: FactorRange
    /// The range pixel values are clipped to (sorted, default `[0, 255]`).
    public let valueRange: (low: Float, high: Float)

    /// A layer shifting the brightness of channels-last images by up to `factor` of the value range.
    public init(factor: Double, valueRange: (Float, Float) = (0, 255), seed: Int? = nil, dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        self.factor = FactorRange(-Swift.abs(factor), Swift.abs(factor))
        self.valueRange = (Swift.min(valueRange.0, valueRange.1), Swift.max(valueRange.0, valueRange.1))
        super.init(dataFormat: dataFormat, seed: seed, name: name)
    }

    public required init(from config: ConfigReader) throws {
        factor = FactorRange.base(config.object["factor"], bounds: -1...1, config)
        valueRange = ValueRange.read(config, sorted: true)
        try super.init(from: config)
    }

    /// Draws `count` deltas (in pixel values).
    public func drawDeltas(_ count: Int) -> [Float] {
        uniform(count, factor.lower, factor.upper).map { $0 * (valueRange.high - valueRange.low) }
    }

    /// Adds each image's delta, then clips.
    public func adjust(_ images: Tensor, deltas: [Float]) throws -> Tensor {
        _ = try imageSize(images)
        return (images + Tensor(shape: [deltas.count, 1, 1, 1], scalars: deltas)).clipped(to: valueRange.low, valueRange.high)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard training else { return inputs }
        return try adjust(inputs, deltas: drawDeltas(inputs.shape.first ?? 0))
    }

    public override func config() -> JSONObject {
        var c = super.config()
        c["factor"] = factor.json
        c["value_range"] = ValueRange.json(valueRange)
        return c
    }
}
