import TensorEngine

/// The base of Keras's global pooling layers: the mean or maximum over every spatial axis of 1-D, 2-D or 3-D
/// inputs (`[*spatial, channels]` → `[channels]`, or kept as size-1 axes with `keepdims`; channels first when the
/// data format says so).
open class GlobalPooling: Layer {
    /// 1, 2 or 3.
    open class var spatialRank: Int { 2 }
    /// Max or mean.
    open class var takesMaximum: Bool { false }

    /// Whether the pooled spatial axes are kept with size 1 (Keras's `keepdims`).
    public let keepDims: Bool
    /// Where the channels axis lies (`channels_last` or `channels_first`).
    public let dataFormat: DataFormat

    /// A global pooling layer.
    public init(keepDims: Bool = false, dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        self.keepDims = keepDims
        self.dataFormat = dataFormat
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        keepDims = config.value("keepdims", default: false)
        dataFormat = config.dataFormat()
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        _ = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        var x = inputs
        let first = dataFormat == .channelsLast ? 1 : 2
        for axis in (first..<(first + Self.spatialRank)).reversed() {
            x = Self.takesMaximum ? x.max(alongAxis: axis, keepingDims: keepDims) : x.mean(alongAxis: axis, keepingDims: keepDims)
        }
        return x
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (spatial, c) = try Spatial.dims(inputShape, rank: Self.spatialRank, self, format: dataFormat)
        guard spatial.allSatisfy({ $0 > 0 }) else { throw ShapeError("\(displayName) cannot pool an empty input \(Shape.describeBatched(inputShape))") }
        let ones = Array(repeating: 1, count: Self.spatialRank)
        return keepDims ? (dataFormat == .channelsLast ? ones + [c] : [c] + ones) : [c]
    }

    public override class var hasBuildConfig: Bool { false }

    public override func config() -> JSONObject { ["data_format": dataFormat.json, "keepdims": .bool(keepDims)] }
}

/// Keras's `GlobalAveragePooling2D`.
public final class GlobalAveragePooling2D: GlobalPooling {}

/// Keras's `GlobalMaxPooling2D`.
public final class GlobalMaxPooling2D: GlobalPooling {
    public override class var takesMaximum: Bool { true }
}

/// Keras's `GlobalAveragePooling1D`. Given a mask `(batch, steps)`, it averages the unmasked steps only; its output
/// has no mask.
public final class GlobalAveragePooling1D: GlobalPooling {
    public override class var spatialRank: Int { 1 }

    public override var supportsMasking: Bool { true }

    public override func computeMask(_ inputs: Tensor, previousMask: Tensor?) throws -> Tensor? { nil }

    public override func call(_ inputs: Tensor, mask: Tensor?, training: Bool) throws -> Tensor {
        guard let mask else { return try call(inputs, training: training) }
        let steps = dataFormat == .channelsLast ? 1 : 2
        guard inputs.rank == 3, mask.shape == [inputs.shape[0], inputs.shape[steps]] else {
            throw ShapeError("\(displayName): mask of shape \(mask.shape) does not match inputs of shape \(inputs.shape)")
        }
        let weights = mask.reshaped(to: steps == 1 ? mask.shape + [1] : [mask.shape[0], 1, mask.shape[1]])
        return (inputs * weights).sum(alongAxis: steps, keepingDims: keepDims) / weights.sum(alongAxis: steps, keepingDims: keepDims)
    }
}

/// Keras's `GlobalMaxPooling1D`.
public final class GlobalMaxPooling1D: GlobalPooling {
    public override class var spatialRank: Int { 1 }
    public override class var takesMaximum: Bool { true }
}

/// Keras's `GlobalAveragePooling3D`.
public final class GlobalAveragePooling3D: GlobalPooling {
    public override class var spatialRank: Int { 3 }
}

/// Keras's `GlobalMaxPooling3D`.
public final class GlobalMaxPooling3D: GlobalPooling {
    public override class var spatialRank: Int { 3 }
    public override class var takesMaximum: Bool { true }
}
