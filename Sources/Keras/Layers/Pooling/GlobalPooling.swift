import TensorEngine

/// The base of Keras's global pooling layers: the mean or maximum over every spatial axis of channels-last inputs
/// (`[steps, channels]` or `[height, width, channels]` → `[channels]`, or kept as size-1 axes with `keepdims`).
open class GlobalPooling: Layer {
    /// 1 or 2.
    open class var spatialRank: Int { 2 }
    /// Max or mean.
    open class var takesMaximum: Bool { false }

    public let keepDims: Bool

    /// A global pooling layer.
    public init(keepDims: Bool = false, name: String? = nil) {
        self.keepDims = keepDims
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        keepDims = config.value("keepdims", default: false)
        config.requireChannelsLast()
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        _ = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        var x = inputs
        for axis in (1...Self.spatialRank).reversed() {
            x = Self.takesMaximum ? x.max(alongAxis: axis, keepingDims: keepDims) : x.mean(alongAxis: axis, keepingDims: keepDims)
        }
        return x
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (h, w, c) = try Spatial.dims(inputShape, rank: Self.spatialRank, self)
        guard h > 0, w > 0 else { throw ShapeError("\(displayName) cannot pool an empty input \(Shape.describeBatched(inputShape))") }
        return keepDims ? Array(repeating: 1, count: Self.spatialRank) + [c] : [c]
    }

    public override class var hasBuildConfig: Bool { false }

    public override func config() -> JSONObject { ["data_format": .string("channels_last"), "keepdims": .bool(keepDims)] }
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
        guard inputs.rank == 3, mask.shape == [inputs.shape[0], inputs.shape[1]] else {
            throw ShapeError("\(displayName): mask of shape \(mask.shape) does not match inputs of shape \(inputs.shape)")
        }
        let weights = mask.reshaped(to: mask.shape + [1])
        return (inputs * weights).sum(alongAxis: 1, keepingDims: keepDims) / weights.sum(alongAxis: 1, keepingDims: keepDims)
    }
}

/// Keras's `GlobalMaxPooling1D`.
public final class GlobalMaxPooling1D: GlobalPooling {
    public override class var spatialRank: Int { 1 }
    public override class var takesMaximum: Bool { true }
}
