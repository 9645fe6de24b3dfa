/// An n-dimensional array of `Float` in row-major order, with value semantics.
///
/// The scalars live in a Swift array, so copies are cheap and copy-on-write. A tensor that takes part in gradient
/// recording also carries a `GradNode` (see `GradientTape`); tensors computed only from untracked tensors carry
/// none, so inference builds no graph at all.
public struct Tensor: Sendable {
    /// The size of each axis, outermost first. `[]` is a scalar.
    public let shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public internal(set) var scalars: [Float]
    /// The recorded operation that produced this tensor, when gradients are being recorded through it.
    public internal(set) var node: GradNode?

    /// Makes a tensor from its elements in row-major order.
    /// - Precondition: `scalars.count` equals the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
        precondition(scalars.count == shape.elementCount,
                     "Tensor of shape \(shape) needs \(shape.elementCount) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
        self.node = nil
    }

    init(shape: [Int], scalars: [Float], node: GradNode?) {
        self.shape = shape
        self.scalars = scalars
        self.node = node
    }

    /// A tensor of the given shape with every element equal to `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.elementCount))
    }

    /// A tensor of the given shape whose elements are not set: the caller overwrites every one before reading.
    public init(shape: [Int], uninitialized: ()) {
        self.init(shape: shape, scalars: Kernels.make(shape.elementCount) { _ in })
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// A rank-0 tensor holding one value.
    public init(_ value: Float) { self.init(shape: [], scalars: [value]) }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The number of elements.
    public var count: Int { scalars.count }

    /// The single element of a tensor with one element.
    public var scalar: Float {
        precondition(scalars.count == 1, "scalar of a tensor with shape \(shape)")
        return scalars[0]
    }

    /// The same tensor cut off from gradient recording (Keras's `stop_gradient`).
    public var detached: Tensor { Tensor(shape: shape, scalars: scalars, node: nil) }

    /// Whether gradients flow back through this tensor.
    public var isTracked: Bool { node != nil }
}

extension Collection where Element == Int {
    /// The number of elements of a tensor with this shape.
    public var elementCount: Int { reduce(1, *) }
}

extension Tensor: CustomStringConvertible {
    /// A short description: the shape and the first few elements.
    public var description: String {
        let head = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(scalars.count > 8 ? ", …" : "")])"
    }
}

extension Tensor {
    /// Divides every element by `divisor` in place — without a copy when this tensor's storage is not shared — and
    /// drops any gradient recording (for preprocessing data, e.g. scaling images by 255 as Keras examples do).
    public mutating func divide(by divisor: Float) {
        node = nil
        scalars.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] /= divisor }
        }
    }
}
