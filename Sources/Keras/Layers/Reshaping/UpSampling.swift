import TensorEngine

/// The base of Keras's `UpSampling2D` (nearest) and `UpSampling3D`: repeats each position `size[i]` times along
/// spatial axis `i`.
open class UpSampling: Layer {
    /// 2 or 3.
    open class var spatialRank: Int { 2 }

    /// How many times each position is repeated along each spatial axis.
    public let size: [Int]
    /// Where the channels axis lies (`channels_last` or `channels_first`).
    public let dataFormat: DataFormat

    /// Repeats each position `size[i]` times along spatial axis `i` (one size for all axes).
    public init(size: [Int] = [2], dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        self.size = size.count == 1 ? Array(repeating: size[0], count: Self.spatialRank) : size
        self.dataFormat = dataFormat
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        size = config.windowSizes("size", rank: Self.spatialRank, default: Array(repeating: 2, count: Self.spatialRank))
        dataFormat = config.dataFormat()
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        _ = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        return Spatial.restoring(Spatial.channelsLast(inputs, from: dataFormat).upsampled(size), to: dataFormat)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (spatial, c) = try Spatial.dims(inputShape, rank: Self.spatialRank, self, format: dataFormat)
        return try Spatial.shape((0..<spatial.count).map { spatial[$0] * size[$0] }, c, format: dataFormat, self, input: inputShape)
    }

    public override func config() -> JSONObject { ["size": sizesJSON(size), "data_format": dataFormat.json] }
}

/// Keras's `UpSampling2D` with `interpolation="nearest"`: repeats rows and columns `size` times.
public final class UpSampling2D: UpSampling {
    public required init(from config: ConfigReader) throws {
        let interpolation = config.value("interpolation", default: "nearest")
        if interpolation != "nearest" { config.report("interpolation '\(interpolation)' is not supported (only 'nearest')") }
        try super.init(from: config)
    }

    /// Repeats each row `size[0]` and each column `size[1]` times.
    public override init(size: [Int] = [2, 2], dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        super.init(size: size, dataFormat: dataFormat, name: name)
    }

    public override func config() -> JSONObject { super.config().inserting("interpolation", .string("nearest"), after: "data_format") }
}

/// Keras's `UpSampling3D`: repeats each position along the depth, height and width axes.
public final class UpSampling3D: UpSampling {
    public override class var spatialRank: Int { 3 }
}
