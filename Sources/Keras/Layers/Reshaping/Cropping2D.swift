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
        let raw = config.object["cropping"] ?? .int(0)
        var c = (top: 0, bottom: 0, left: 0, right: 0)
        if let n = raw.intValue {
            c = (n, n, n, n)
        } else if let pair = raw.arrayValue, pair.count == 2, let r = pair[0].intValue, let w = pair[1].intValue {
            c = (r, r, w, w)
        } else if let pair = raw.arrayValue, pair.count == 2, let rows = pair[0].arrayValue?.compactMap(\.intValue),
                  let cols = pair[1].arrayValue?.compactMap(\.intValue), rows.count == 2, cols.count == 2 {
            c = (rows[0], rows[1], cols[0], cols[1])
        } else {
            config.report("'cropping' must be an int, two ints or two pairs of ints, found \(raw.brief)")
        }
        if [c.top, c.bottom, c.left, c.right].contains(where: { $0 < 0 }) {
            config.report("'cropping' must be non-negative, found \(raw.brief)")
            c = (0, 0, 0, 0)
        }
        cropping = c
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
