/// A named, mutable tensor that holds a layer's weight or an optimizer's state.
///
/// Variables are reference types so that a layer, the model's weight list and the optimizer all update the
/// same storage (a layer shared by two calls in a Functional graph has one kernel).
public final class Variable: @unchecked Sendable {
    /// The variable's name, such as `kernel` or `bias` (Keras's `Variable.name`).
    public let name: String
    /// Whether optimizers update this variable. Keras's `trainable` on the variable.
    public var trainable: Bool
    /// Whether Keras stores this variable as int32 (a counter such as `Normalization`'s `count`); its value is held
    /// as Float32 here and written back as int32.
    public var storedAsInteger = false
    private var storage: Tensor
    private var leaf: GradNode?

    /// Makes a variable holding `initialValue`.
    public init(_ initialValue: Tensor, name: String, trainable: Bool = true) {
        self.storage = initialValue.detached
        self.name = name
        self.trainable = trainable
    }

    /// The variable's shape.
    public var shape: [Int] { storage.shape }

    /// The current value. While a `GradientTape` watches this variable, the value carries the tape's leaf
    /// node so that ops reading it record gradients.
    public var value: Tensor {
        guard let leaf else { return storage }
        return Tensor(shape: storage.shape, scalars: storage.scalars, node: leaf)
    }

    /// Replaces the value; the new value must have the variable's shape.
    /// - Throws: `ShapeError` when the shape differs.
    public func assign(_ newValue: Tensor) throws {
        guard newValue.shape == storage.shape else {
            throw ShapeError("cannot assign a value of shape \(newValue.shape) to variable '\(name)' of shape \(storage.shape)")
        }
        storage = newValue.detached
    }

    /// Updates the elements in place (used by optimizers; no shape change, no allocation when uniquely held).
    public func update(_ body: (inout [Float]) -> Void) {
        body(&storage.scalars)
    }

    /// Gives direct access to the elements for an in-place update loop.
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.scalars.withUnsafeMutableBufferPointer { try body($0) }
    }

    func beginTracking() -> GradNode {
        let node = GradNode.leaf(shape: storage.shape)
        leaf = node
        return node
    }

    func endTracking() { leaf = nil }
}
