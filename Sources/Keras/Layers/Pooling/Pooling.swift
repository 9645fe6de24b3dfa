import TensorEngine

/// The base of Keras's `MaxPooling1D/2D/3D` and `AveragePooling1D/2D/3D`: a window of `pool_size` moved by
/// `strides` (default: `pool_size`) over channels-last or channels-first inputs.
open class Pooling: Layer {
    /// 1, 2 or 3.
    open class var spatialRank: Int { 2 }
    /// Whether the window keeps its largest element (max) or its mean (average).
    open class var takesMaximum: Bool { true }

    /// The pooling window's size along each spatial axis (Keras's `pool_size`).
    public let poolSize: [Int]
    /// The step between windows along each spatial axis.
    public let strides: [Int]
    /// `valid` (no padding), `same` (output size ⌈input / stride⌉) or, for 1-D, `causal`.
    public let padding: Padding
    /// Where the channels axis lies (`channels_last` or `channels_first`).
    public let dataFormat: DataFormat

    /// A pooling window of `poolSize` (one size per spatial axis, or one for all) moving by `strides`.
    public init(poolSize: [Int], strides: [Int]? = nil, padding: Padding = .valid, dataFormat: DataFormat = .channelsLast,
                name: String? = nil) {
        let rank = Self.spatialRank
        self.poolSize = poolSize.count == 1 ? Array(repeating: poolSize[0], count: rank) : poolSize
        self.strides = strides.map { $0.count == 1 ? Array(repeating: $0[0], count: rank) : $0 } ?? self.poolSize
        self.padding = padding
        self.dataFormat = dataFormat
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        let rank = Self.spatialRank
        poolSize = config.windowSizes("pool_size", rank: rank, default: Array(repeating: 2, count: rank))
        strides = config.windowSizes("strides", rank: rank, default: poolSize)
        padding = config.value("padding", default: .valid)
        if padding == .causal { config.report("padding 'causal' is not a pooling padding") }
        dataFormat = config.dataFormat()
        try super.init(from: config)
    }

    /// The spatial size of `shape` and the window over it.
    private func geometry(_ shape: [Int]) throws -> (WindowGeometry, [Int], Int) {
        let (spatial, c) = try Spatial.dims(shape, rank: Self.spatialRank, self, format: dataFormat)
        return (Spatial.geometry(kernel: poolSize, strides: strides, padding: padding, input: spatial), spatial, c)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let (g, _, _) = try geometry(Array(inputs.shape.dropFirst()))
        let x = Spatial.channelsLast(inputs, from: dataFormat)
        return Spatial.restoring(Self.takesMaximum ? Tensor.maxPool(x, geometry: g) : Tensor.averagePool(x, geometry: g), to: dataFormat)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (g, spatial, c) = try geometry(inputShape)
        return try Spatial.shape(g.outputSize(spatial), c, format: dataFormat, self, input: inputShape)
    }

    public override class var hasBuildConfig: Bool { false }

    public override func config() -> JSONObject {
        ["pool_size": sizesJSON(poolSize), "padding": .string(padding.rawValue), "strides": sizesJSON(strides),
         "data_format": dataFormat.json]
    }
}

/// Keras's `MaxPooling2D`.
public final class MaxPooling2D: Pooling {}

/// Keras's `AveragePooling2D` (padding is not counted in the mean).
public final class AveragePooling2D: Pooling {
    public override class var takesMaximum: Bool { false }
}

/// Keras's `MaxPooling1D`.
public final class MaxPooling1D: Pooling {
    public override class var spatialRank: Int { 1 }
}

/// Keras's `AveragePooling1D`.
public final class AveragePooling1D: Pooling {
    public override class var spatialRank: Int { 1 }
    public override class var takesMaximum: Bool { false }
}

/// Keras's `MaxPooling3D`.
public final class MaxPooling3D: Pooling {
    public override class var spatialRank: Int { 3 }
}

/// Keras's `AveragePooling3D` (padding is not counted in the mean).
public final class AveragePooling3D: Pooling {
    public override class var spatialRank: Int { 3 }
    public override class var takesMaximum: Bool { false }
}
