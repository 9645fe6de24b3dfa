import TensorEngine

/// The base of Keras's `ZeroPadding2D` and `ZeroPadding3D`: zero positions before and after each spatial axis.
/// `padding` is one int, one int per axis, or one `(before, after)` pair per axis.
open class ZeroPadding: Layer {
    /// 2 or 3.
    open class var spatialRank: Int { 2 }

    /// Zero positions before and after each spatial axis.
    public let padding: (before: [Int], after: [Int])
    /// Where the channels axis lies (`channels_last` or `channels_first`).
    public let dataFormat: DataFormat

    /// Pads `amounts[i]` zero positions before and after spatial axis `i` (one amount for all axes).
    public init(_ amounts: [Int] = [1], dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        let each = amounts.count == 1 ? Array(repeating: amounts[0], count: Self.spatialRank) : amounts
        padding = (each, each)
        self.dataFormat = dataFormat
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        padding = config.spatialAmounts("padding", rank: Self.spatialRank, default: 1)
        dataFormat = config.dataFormat()
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        _ = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        let padded = Spatial.channelsLast(inputs, from: dataFormat).zeroPadded(before: padding.before, after: padding.after)
        return Spatial.restoring(padded, to: dataFormat)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (spatial, c) = try Spatial.dims(inputShape, rank: Self.spatialRank, self, format: dataFormat)
        return try Spatial.shape((0..<spatial.count).map { spatial[$0] + padding.before[$0] + padding.after[$0] }, c,
                                 format: dataFormat, self, input: inputShape)
    }

    public override func config() -> JSONObject {
        ["padding": pairsJSON(padding), "data_format": dataFormat.json]
    }
}

/// Keras's `ZeroPadding2D`: zero rows above and below, zero columns left and right.
public final class ZeroPadding2D: ZeroPadding {
    /// Pads `rows` above and below and `columns` left and right.
    public convenience init(rows: Int = 1, columns: Int = 1, name: String? = nil) {
        self.init([rows, columns], name: name)
    }
}

/// Keras's `ZeroPadding3D`: zero positions around the depth, height and width axes.
public final class ZeroPadding3D: ZeroPadding {
    public override class var spatialRank: Int { 3 }
}

/// The JSON Keras writes for per-axis `(before, after)` amounts: `[[1, 1], [2, 2]]`.
func pairsJSON(_ amounts: (before: [Int], after: [Int])) -> JSON {
    .array(zip(amounts.before, amounts.after).map { .array([.int($0), .int($1)]) })
}
