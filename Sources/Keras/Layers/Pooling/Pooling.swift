import TensorEngine

/// The base of Keras's `MaxPooling1D/2D` and `AveragePooling1D/2D`: a window of `pool_size` moved by `strides`
/// (default: `pool_size`) over channels-last inputs.
open class Pooling: Layer {
    /// 1 or 2.
    open class var spatialRank: Int { 2 }
    /// Whether the window keeps its largest element (max) or its mean (average).
    open class var takesMaximum: Bool { true }

    public let poolSize: [Int]
    public let strides: [Int]
    public let padding: Padding

    /// A pooling window of `poolSize` (one size per spatial axis, or one for all) moving by `strides`.
    public init(poolSize: [Int], strides: [Int]? = nil, padding: Padding = .valid, name: String? = nil) {
        let rank = Self.spatialRank
        self.poolSize = poolSize.count == 1 ? Array(repeating: poolSize[0], count: rank) : poolSize
        self.strides = strides.map { $0.count == 1 ? Array(repeating: $0[0], count: rank) : $0 } ?? self.poolSize
        self.padding = padding
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        let rank = Self.spatialRank
        poolSize = config.windowSizes("pool_size", rank: rank, default: Array(repeating: 2, count: rank))
        strides = config.windowSizes("strides", rank: rank, default: poolSize)
        padding = config.value("padding", default: .valid)
        if padding == .causal { config.report("padding 'causal' is not a pooling padding") }
        config.requireChannelsLast()
        try super.init(from: config)
    }

    private func geometry(_ shape: [Int]) throws -> (WindowGeometry, Int, Int, Int) {
        let (h, w, c) = try Spatial.dims(shape, rank: Self.spatialRank, self)
        return (Spatial.geometry(kernel: poolSize, strides: strides, dilation: [1], padding: padding, height: h, width: w), h, w, c)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let (g, h, w, c) = try geometry(Array(inputs.shape.dropFirst()))
        let images = inputs.reshaped(to: [inputs.shape[0], h, w, c])
        let pooled = Self.takesMaximum ? Tensor.maxPool2d(images, geometry: g) : Tensor.averagePool2d(images, geometry: g)
        return pooled.reshaped(to: [inputs.shape[0]] + (try outputShape(forInputShape: Array(inputs.shape.dropFirst()))))
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (g, h, w, c) = try geometry(inputShape)
        let (oh, ow) = g.outputSize(height: h, width: w)
        return try Spatial.shape(rank: Self.spatialRank, oh, ow, c, self, input: inputShape)
    }

    public override class var hasBuildConfig: Bool { false }

    public override func config() -> JSONObject {
        ["pool_size": sizesJSON(poolSize), "padding": .string(padding.rawValue), "strides": sizesJSON(strides),
         "data_format": .string("channels_last")]
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
