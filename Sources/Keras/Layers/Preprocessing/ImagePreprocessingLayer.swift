import TensorEngine

/// What image layers ask of a `data_format`: where height and width are.
extension DataFormat {
    /// The height and width axes of a batch of images.
    var spatialAxes: (height: Int, width: Int) { self == .channelsLast ? (1, 2) : (2, 3) }

    /// The height and width of a per-sample shape (`[h, w, c]` or `[c, h, w]`).
    func spatialSize(_ sampleShape: [Int]) -> (height: Int, width: Int) {
        (sampleShape[spatialAxes.height - 1], sampleShape[spatialAxes.width - 1])
    }

    /// `sampleShape` with its height and width replaced.
    func replacingSpatialSize(of sampleShape: [Int], height: Int, width: Int) -> [Int] {
        var shape = sampleShape
        shape[spatialAxes.height - 1] = height
        shape[spatialAxes.width - 1] = width
        return shape
    }
}

/// The base of Keras's image preprocessing and augmentation layers (`BaseImagePreprocessingLayer`): batches of
/// images in `data_format`, and for the random ones a `seed` that fixes their draws.
///
/// The random layers transform only in training (Keras's `fit`); at inference they return their inputs. Their
/// draws follow Keras's distributions but cannot equal Keras's own (JAX's generator).
open class ImagePreprocessingLayer: Layer {
    /// Where the channel axis is.
    public let dataFormat: DataFormat
    /// The seed of the layer's draws (Keras's `seed`); nil draws from the global seed or the system's entropy.
    public let seed: Int?

    /// A layer over images in `dataFormat`, drawing from `seed`.
    public init(dataFormat: DataFormat = .channelsLast, seed: Int? = nil, name: String? = nil) {
        self.dataFormat = dataFormat
        self.seed = seed
        super.init(name: name)
        if let seed { rng = RandomGenerator(seed: UInt64(bitPattern: Int64(seed))) }
    }

    public required init(from config: ConfigReader) throws {
        dataFormat = config.value("data_format", default: .channelsLast)
        seed = config.optional("seed")
        try super.init(from: config)
        if let seed { rng = RandomGenerator(seed: UInt64(bitPattern: Int64(seed))) }
    }

    /// Whether Keras writes a `seed` key for this layer.
    open class var hasSeed: Bool { true }

    open override func config() -> JSONObject {
        var c: JSONObject = ["data_format": .string(dataFormat.rawValue)]
        if Self.hasSeed { c["seed"] = seed.map { .int($0) } ?? .null }
        return c
    }

    /// Checks that `inputs` is a batch of images and returns its height and width.
    func imageSize(_ inputs: Tensor) throws -> (height: Int, width: Int) {
        guard inputs.rank == 4 else {
            throw ShapeError("\(displayName) needs a batch of images (rank 4, \(dataFormat.rawValue)), got shape \(inputs.shape)")
        }
        return dataFormat.spatialSize(Array(inputs.shape.dropFirst()))
    }

    open override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw ShapeError("\(displayName) needs images of rank 3 per sample (\(dataFormat.rawValue)), got \(Shape.describeBatched(inputShape))")
        }
        return inputShape
    }

    /// `count` draws from `U(low, high)` (Keras's `random.uniform(minval=low, maxval=high)`).
    func uniform(_ count: Int, _ low: Double, _ high: Double) -> [Float] {
        rng.uniform(count: count, low: Float(low), high: Float(high))
    }

    /// Applies one affine map per image with this layer's fill mode and interpolation.
    func affineTransform(_ images: Tensor, _ maps: [AffineMap], _ options: AffineOptions) -> Tensor {
        Tensor.affineTransform(images, maps: maps, interpolation: options.interpolation, fillMode: options.fillMode,
                               fillValue: options.fillValue, channelsFirst: dataFormat == .channelsFirst)
    }
}

/// The `fill_mode`, `fill_value` and `interpolation` of Keras's geometric augmentation layers.
struct AffineOptions {
    var fillMode: FillMode
    var fillValue: Float
    var interpolation: SamplingInterpolation

    /// Reads them (defaults `reflect`, 0, `bilinear`); Keras's layers accept the fill modes reflect, wrap,
    /// constant and nearest.
    init(_ config: ConfigReader) {
        let mode = config.value("fill_mode", default: "reflect")
        fillMode = FillMode(rawValue: mode) ?? .reflect
        if fillMode == .mirror || FillMode(rawValue: mode) == nil {
            config.report("fill_mode must be one of reflect, wrap, constant, nearest, found '\(mode)'")
        }
        fillValue = config.value("fill_value", default: Float(0))
        let interpolation = config.value("interpolation", default: "bilinear")
        self.interpolation = SamplingInterpolation(rawValue: interpolation) ?? .bilinear
        if SamplingInterpolation(rawValue: interpolation) == nil {
            config.report("interpolation must be 'nearest' or 'bilinear', found '\(interpolation)'")
        }
    }

    init(fillMode: FillMode = .reflect, fillValue: Float = 0, interpolation: SamplingInterpolation = .bilinear) {
        (self.fillMode, self.fillValue, self.interpolation) = (fillMode, fillValue, interpolation)
    }

    var json: JSONObject {
        ["fill_mode": .string(fillMode.rawValue), "fill_value": .double(Double(fillValue)), "interpolation": .string(interpolation.rawValue)]
    }
}
