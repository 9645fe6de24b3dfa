import TensorEngine

/// The base of Keras's `Cropping2D` and `Cropping3D`: removes positions at the start and end of each spatial axis.
/// `cropping` is one int, one int per axis, or one `(start, end)` pair per axis.
open class Cropping: Layer {
    /// 2 or 3.
    open class var spatialRank: Int { 2 }

    /// Positions removed at the start and end of each spatial axis.
    public let cropping: (before: [Int], after: [Int])
    /// Where the channels axis lies (`channels_last` or `channels_first`).
    public let dataFormat: DataFormat

    /// Removes `amounts[i]` positions at both ends of spatial axis `i` (one amount for all axes).
    public init(_ amounts: [Int], dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        let each = amounts.count == 1 ? Array(repeating: amounts[0], count: Self.spatialRank) : amounts
        cropping = (each, each)
        self.dataFormat = dataFormat
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        cropping = config.spatialAmounts("cropping", rank: Self.spatialRank, default: 0)
        dataFormat = config.dataFormat()
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let out = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        let first = dataFormat == .channelsLast ? 1 : 2
        var x = inputs
        for axis in 0..<Self.spatialRank {
            x = x.slice(alongAxis: first + axis, from: cropping.before[axis], count: out[first - 1 + axis])
        }
        return x
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (spatial, c) = try Spatial.dims(inputShape, rank: Self.spatialRank, self, format: dataFormat)
        let kept = (0..<spatial.count).map { spatial[$0] - cropping.before[$0] - cropping.after[$0] }
        guard kept.allSatisfy({ $0 > 0 }) else {
            throw ShapeError("\(displayName): cropping \(pairsJSON(cropping).brief) leaves nothing of inputs of shape \(Shape.describeBatched(inputShape))")
        }
        return try Spatial.shape(kept, c, format: dataFormat, self, input: inputShape)
    }

    public override func config() -> JSONObject {
        ["cropping": pairsJSON(cropping), "data_format": dataFormat.json]
    }
}

/// Keras's `Cropping2D`: removes rows from the top and bottom and columns from the left and right.
public final class Cropping2D: Cropping {
    /// Crops `rows` from the top and the bottom and `columns` from the left and the right.
    public convenience init(rows: Int, columns: Int, name: String? = nil) {
        self.init([rows, columns], name: name)
    }
}

/// Keras's `Cropping3D`: removes positions at both ends of the depth, height and width axes.
public final class Cropping3D: Cropping {
    public override class var spatialRank: Int { 3 }
}
