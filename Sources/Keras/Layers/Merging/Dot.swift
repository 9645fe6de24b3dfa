import TensorEngine

/// Keras's `Dot`: the dot product of two inputs along `axes`, sample by sample (`batch_dot`) — a similarity score
/// of two `[d]` vectors (`[1]` per sample), or the product of two `[n, d]` / `[m, d]` sequences (`[n, m]`). With
/// `normalize`, each input is first scaled to unit L2 norm along its axis (cosine similarity).
public final class Dot: Merge {
    /// The contracted axis of each input (counted with the batch axis; negative from the end).
    public let axes: [Int]
    /// Whether `axes` was written as a single int (written back the same way).
    private let axesIsList: Bool
    /// Whether the inputs are L2-normalised first.
    public let normalize: Bool

    /// A dot product over `axes` (one per input, or one for both).
    public init(axes: [Int], normalize: Bool = false, name: String? = nil) {
        self.axes = axes.count == 1 ? [axes[0], axes[0]] : axes
        axesIsList = axes.count != 1
        self.normalize = normalize
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        if let single = config.object["axes"]?.intValue {
            axes = [single, single]
            axesIsList = false
        } else {
            axes = config.require("axes")
            axesIsList = true
            if axes.count != 2 { config.report("'axes' must be an int or a list of two ints, found \(axes)") }
        }
        normalize = config.value("normalize", default: false)
        try super.init(from: config)
    }

    public override class var inputCountRange: ClosedRange<Int> { 2...2 }

    /// The contracted axis of each input, resolved for its rank (with the batch axis), checked.
    private func contracted(_ shapes: [[Int]]) throws -> (Int, Int) {
        let ranks = shapes.map { $0.count + 1 }
        guard ranks[0] == ranks[1], ranks[0] == 2 || ranks[0] == 3 else {
            throw ShapeError("\(displayName) supports two inputs of one or two axes per sample (the same for both), got \(shapes.map(Shape.describeBatched).joined(separator: " and "))")
        }
        let resolved = zip(axes.prefix(2), ranks).map { axis, rank in axis < 0 ? axis + rank : axis }
        guard resolved.allSatisfy({ $0 >= 1 && $0 < ranks[0] }), shapes[0][resolved[0] - 1] == shapes[1][resolved[1] - 1] else {
            throw ShapeError("\(displayName): axes \(axes) do not contract inputs of shapes \(shapes.map(Shape.describeBatched).joined(separator: " and ")) (the sizes must be equal)")
        }
        return (resolved[0], resolved[1])
    }

    public override func outputShape(forInputShapes inputShapes: [[Int]]) throws -> [Int] {
        guard inputShapes.count == 2 else { throw ShapeError("\(displayName) must be called on exactly 2 inputs, got \(inputShapes.count)") }
        let (a, b) = try contracted(inputShapes)
        if inputShapes[0].count == 1 { return [1] }
        return [inputShapes[0][2 - a], inputShapes[1][2 - b]]
    }

    public override func merge(_ inputs: [Tensor]) throws -> Tensor {
        let (a, b) = try contracted(inputs.map { Array($0.shape.dropFirst()) })
        var (x, y) = (inputs[0], inputs[1])
        if normalize {
            x = Normalize.l2(x, axes: [a], epsilon: 1e-7)
            y = Normalize.l2(y, axes: [b], epsilon: 1e-7)
        }
        if x.rank == 2 { return (x * y).sum(alongAxes: [1], keepingDims: true) }
        // [batch, rows, contracted] · [batch, contracted, columns], each operand transposed where its axis lies.
        return Tensor.batchMatmul(x, y, transposeA: a == 1, transposeB: b == 2)
    }

    public override func config() -> JSONObject {
        ["axes": axesIsList ? .array(axes.map { .int($0) }) : .int(axes[0]), "normalize": .bool(normalize)]
    }
}
