import TensorEngine

/// Keras's `Concatenate`: joins its inputs along `axis` (default -1, the feature axis); every other axis must agree.
public final class Concatenate: Layer {
    /// The axis to join along, counted with the batch axis (Keras's convention: `-1` is the last, `1` the first
    /// per-sample axis).
    public let axis: Int

    /// A concatenation along `axis`.
    public init(axis: Int = -1, name: String? = nil) {
        self.axis = axis
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        axis = config.value("axis", default: -1)
        try super.init(from: config)
    }

    public override class var takesInputList: Bool { true }

    public override func build(inputShapes: [[Int]]) throws { _ = try outputShape(forInputShapes: inputShapes) }

    public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
        _ = try outputShape(forInputShapes: inputs.map { Array($0.shape.dropFirst()) })
        return Tensor.concatenate(inputs, alongAxis: axis)
    }

    public override func outputShape(forInputShapes inputShapes: [[Int]]) throws -> [Int] {
        guard let first = inputShapes.first else { throw ShapeError("\(displayName) needs at least one input") }
        let rank = first.count + 1
        let a = axis < 0 ? axis + rank : axis
        let described = inputShapes.map(Shape.describeBatched).joined(separator: ", ")
        guard a >= 1, a < rank else { throw ShapeError("\(displayName): axis \(axis) is out of range for inputs of shape \(described)") }
        var out = first
        out[a - 1] = 0
        for shape in inputShapes {
            guard shape.count == first.count,
                  shape.enumerated().allSatisfy({ $0.offset == a - 1 || $0.element == first[$0.offset] }) else {
                throw ShapeError("\(displayName) needs inputs whose shapes agree except on axis \(axis), got \(described)")
            }
            out[a - 1] += shape[a - 1]
        }
        return out
    }

    public override func config() -> JSONObject { ["axis": .int(axis)] }
}
