import TensorEngine

/// Keras's `ZeroPadding1D`: zero steps before and after `[steps, channels]` (or `[channels, steps]`) inputs.
/// `padding` is one int or `(before, after)`.
public final class ZeroPadding1D: Layer {
    /// Zero steps (before, after).
    public let padding: [Int]
    /// Where the channels axis lies (`channels_last` or `channels_first`).
    public let dataFormat: DataFormat

    /// Pads `before` and `after` zero steps.
    public init(before: Int = 1, after: Int = 1, dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        padding = [before, after]
        self.dataFormat = dataFormat
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        padding = config.windowSizes("padding", rank: 2, default: [1, 1], minimum: 0)
        dataFormat = config.dataFormat()
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        _ = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        let padded = Spatial.channelsLast(inputs, from: dataFormat).zeroPadded(before: [padding[0]], after: [padding[1]])
        return Spatial.restoring(padded, to: dataFormat)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (spatial, channels) = try Spatial.dims(inputShape, rank: 1, self, format: dataFormat)
        return try Spatial.shape([spatial[0] + padding[0] + padding[1]], channels, format: dataFormat, self, input: inputShape)
    }

    public override func config() -> JSONObject {
        ["padding": sizesJSON(padding), "data_format": dataFormat.json]
    }
}

/// Keras's `Cropping1D`: removes steps at the start and end of `[steps, channels]` inputs. `cropping` is one int or
/// `(start, end)`.
public final class Cropping1D: Layer {
    /// Steps removed (start, end).
    public let cropping: [Int]

    /// Removes `start` steps at the start and `end` at the end.
    public init(start: Int = 1, end: Int = 1, name: String? = nil) {
        cropping = [start, end]
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        cropping = config.windowSizes("cropping", rank: 2, default: [1, 1], minimum: 0)
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let out = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        return inputs.slice(alongAxis: 1, from: cropping[0], count: out[0])
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (spatial, channels) = try Spatial.dims(inputShape, rank: 1, self)
        let steps = spatial[0]
        guard cropping[0] + cropping[1] < steps else {
            throw ShapeError("\(displayName): cropping \(cropping) must be smaller than the input length \(steps) (as in Keras)")
        }
        return [steps - cropping[0] - cropping[1], channels]
    }

    public override func config() -> JSONObject { ["cropping": sizesJSON(cropping)] }
}

/// Keras's `UpSampling1D`: repeats each step `size` times.
public final class UpSampling1D: Layer {
    /// How many times each step is repeated.
    public let size: Int

    /// Repeats each step `size` times.
    public init(size: Int = 2, name: String? = nil) {
        self.size = size
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        size = config.value("size", default: 2)
        if size < 1 || size > 1 << 16 { config.report("'size' must be a positive integer, found \(size)") }
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        _ = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        return inputs.upsampled([size])
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (spatial, channels) = try Spatial.dims(inputShape, rank: 1, self)
        let steps = spatial[0]
        let out = [steps * size, channels]
        _ = try Shape.checkedElementCount(out, "\(displayName) output")
        return out
    }

    public override func config() -> JSONObject { ["size": .int(size)] }
}
