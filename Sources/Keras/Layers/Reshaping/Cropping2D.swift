import TensorEngine

/// Keras's `Cropping2D`: removes rows from the top and bottom and columns from the left and right of
/// `[height, width, channels]` inputs. `cropping` is one int, `(rows, columns)`, or `((top, bottom), (left, right))`.
public final class Cropping2D: Layer {
    /// (top, bottom, left, right).
    public let cropping: (top: Int, bottom: Int, left: Int, right: Int)

    /// Crops `rows` from the top and the bottom and `columns` from the left and the right.
    public init(rows: Int, columns: Int, name: String? = nil) {
        cropping = (rows, rows, columns, columns)
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        cropping = config.spatialAmounts("cropping", default: 0)
        config.requireChannelsLast()
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let out = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        return inputs.slice(alongAxis: 1, from: cropping.top, count: out[0]).slice(alongAxis: 2, from: cropping.left, count: out[1])
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (h, w, c) = try Spatial.dims(inputShape, rank: 2, self)
        let (oh, ow) = (h - cropping.top - cropping.bottom, w - cropping.left - cropping.right)
        guard oh > 0, ow > 0 else {
            throw ShapeError("\(displayName): cropping \(cropping) leaves nothing of inputs of shape \(Shape.describeBatched(inputShape))")
        }
        return [oh, ow, c]
    }

    public override func config() -> JSONObject {
        ["cropping": .array([.array([.int(cropping.top), .int(cropping.bottom)]), .array([.int(cropping.left), .int(cropping.right)])]),
         "data_format": .string("channels_last")]
    }
}
