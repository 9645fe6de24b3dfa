import TensorEngine

/// The base of Keras's elementwise merge layers (`Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`):
/// called on a list of tensors whose shapes broadcast together, it folds them with one binary operation.
///
/// ```swift
/// let sum = try Add()([a, b])          // a KerasTensor in a Functional graph
/// ```
open class Merge: Layer {
    /// Combines the inputs (at least two, already checked).
    open func merge(_ inputs: [Tensor]) throws -> Tensor {
        throw ShapeError("\(displayName) does not implement merge(_:)")
    }

    /// The fewest and most inputs the layer accepts.
    open class var inputCountRange: ClosedRange<Int> { 2...Int.max }

    public override class var takesInputList: Bool { true }

    public override func build(inputShapes: [[Int]]) throws {
        _ = try outputShape(forInputShapes: inputShapes)
    }

    public override func build(inputShape: [Int]) throws {
        throw ShapeError("\(displayName) must be called on a list of at least \(Self.inputCountRange.lowerBound) inputs, got one")
    }

    public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
        try checkCount(inputs.count)
        return try merge(inputs)
    }

    public override func outputShape(forInputShapes inputShapes: [[Int]]) throws -> [Int] {
        try checkCount(inputShapes.count)
        var shape = inputShapes[0]
        for other in inputShapes.dropFirst() {
            guard let merged = Tensor.broadcastShape(shape, other) else {
                throw ShapeError("\(displayName) cannot merge inputs of shapes \(inputShapes.map(Shape.describeBatched).joined(separator: " and ")): they do not broadcast together")
            }
            shape = merged
        }
        return shape
    }

    private func checkCount(_ count: Int) throws {
        guard Self.inputCountRange.contains(count) else {
            let range = Self.inputCountRange
            let expected = range.upperBound == range.lowerBound ? "exactly \(range.lowerBound)" : "at least \(range.lowerBound)"
            throw ShapeError("\(displayName) must be called on \(expected) inputs, got \(count)")
        }
    }
}

/// Keras's `Add`: the elementwise sum of its inputs.
public final class Add: Merge {
    public override func merge(_ inputs: [Tensor]) throws -> Tensor { inputs.dropFirst().reduce(inputs[0], +) }
}

/// Keras's `Subtract`: the first input minus the second (exactly two inputs).
public final class Subtract: Merge {
    public override class var inputCountRange: ClosedRange<Int> { 2...2 }
    public override func merge(_ inputs: [Tensor]) throws -> Tensor { inputs[0] - inputs[1] }
}

/// Keras's `Multiply`: the elementwise product of its inputs.
public final class Multiply: Merge {
    public override func merge(_ inputs: [Tensor]) throws -> Tensor { inputs.dropFirst().reduce(inputs[0], *) }
}

/// Keras's `Average`: the sum of its inputs divided by their number.
public final class Average: Merge {
    public override func merge(_ inputs: [Tensor]) throws -> Tensor {
        inputs.dropFirst().reduce(inputs[0], +) / Float(inputs.count)
    }
}

/// Keras's `Maximum`: the elementwise maximum of its inputs.
public final class Maximum: Merge {
    public override func merge(_ inputs: [Tensor]) throws -> Tensor { inputs.dropFirst().reduce(inputs[0], Tensor.maximum) }
}

/// Keras's `Minimum`: the elementwise minimum of its inputs.
public final class Minimum: Merge {
    public override func merge(_ inputs: [Tensor]) throws -> Tensor { inputs.dropFirst().reduce(inputs[0], Tensor.minimum) }
}
