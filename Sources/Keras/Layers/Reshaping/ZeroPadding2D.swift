import TensorEngine

/// Keras's `ZeroPadding2D`: zero rows above and below, zero columns left and right of `[height, width, channels]`
/// inputs. `padding` is one int, `(rows, columns)`, or `((top, bottom), (left, right))`.
public final class ZeroPadding2D: Layer {
    /// (top, bottom, left, right).
    public let padding: (top: Int, bottom: Int, left: Int, right: Int)

    /// Pads `rows` above and below and `columns` left and right.
    public init(rows: Int = 1, columns: Int = 1, name: String? = nil) {
        padding = (rows, rows, columns, columns)
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        padding = config.spatialAmounts("padding", default: 1)
        config.requireChannelsLast()
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        _ = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        return inputs.zeroPadded2d(top: padding.top, bottom: padding.bottom, left: padding.left, right: padding.right)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (h, w, c) = try Spatial.dims(inputShape, rank: 2, self)
        let out = [h + padding.top + padding.bottom, w + padding.left + padding.right, c]
        _ = try Shape.checkedElementCount(out, "\(displayName) output")
        return out
    }

    public override func config() -> JSONObject {
        ["padding": .array([.array([.int(padding.top), .int(padding.bottom)]), .array([.int(padding.left), .int(padding.right)])]),
         "data_format": .string("channels_last")]
    }
}

/// Keras's `UpSampling2D` with `interpolation="nearest"`: repeats rows and columns `size` times.
public final class UpSampling2D: Layer {
    public let size: [Int]

    /// Repeats each row `size[0]` and each column `size[1]` times.
    public init(size: [Int] = [2, 2], name: String? = nil) {
        self.size = size.count == 1 ? [size[0], size[0]] : size
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        size = config.windowSizes("size", rank: 2, default: [2, 2])
        let interpolation = config.value("interpolation", default: "nearest")
        if interpolation != "nearest" { config.report("interpolation '\(interpolation)' is not supported (only 'nearest')") }
        config.requireChannelsLast()
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        _ = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        return inputs.upsampled2d(rows: size[0], columns: size[1])
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (h, w, c) = try Spatial.dims(inputShape, rank: 2, self)
        let out = [h * size[0], w * size[1], c]
        _ = try Shape.checkedElementCount(out, "\(displayName) output")
        return out
    }

    public override func config() -> JSONObject {
        ["size": sizesJSON(size), "data_format": .string("channels_last"), "interpolation": .string("nearest")]
    }
}
