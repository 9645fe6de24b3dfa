import CKernels
import Foundation

/// A scalar function applied elementwise, together with its derivative.
///
/// `derivative(x, y)` receives the input `x` and the output `y = apply(x)`, so rules such as the sigmoid's
/// `y·(1−y)` reuse the forward result. Every elementwise nonlinearity (activations included) is one value of this
/// type: its forward and backward rules sit side by side in one place.
public struct UnaryFunction: Sendable {
    /// A name for diagnostics.
    public let name: String
    /// The function.
    public let apply: @Sendable (Float) -> Float
    /// The derivative, given the input and the output.
    public let derivative: @Sendable (_ x: Float, _ y: Float) -> Float
    /// Functions hot enough in training to get a direct loop (the closures above still define them).
    enum FastPath: Sendable { case none, relu, negate, sigmoid, tanh }
    let fastPath: FastPath

    /// Makes a function from its forward and derivative rules.
    public init(name: String, apply: @escaping @Sendable (Float) -> Float,
                derivative: @escaping @Sendable (_ x: Float, _ y: Float) -> Float) {
        self.init(name: name, apply: apply, derivative: derivative, fastPath: .none)
    }

    init(name: String, apply: @escaping @Sendable (Float) -> Float,
         derivative: @escaping @Sendable (_ x: Float, _ y: Float) -> Float, fastPath: FastPath) {
        self.name = name
        self.apply = apply
        self.derivative = derivative
        self.fastPath = fastPath
    }
}

extension Tensor {
    /// Applies `function` to every element, recording its derivative.
    public func applying(_ function: UnaryFunction) -> Tensor {
        switch function.fastPath {
        case .relu:
            let input = self.detached
            let out = Tensor(shape: shape, scalars: Kernels.map(scalars, .relu))
            return .recorded(out, from: [self]) { grad, _ in
                [Tensor(shape: grad.shape, scalars: Kernels.zip(input.scalars, grad.scalars, .passWherePositive))]
            }
        case .negate:
            let out = Tensor(shape: shape, scalars: Kernels.map(scalars, .negate))
            return .recorded(out, from: [self]) { grad, _ in [Tensor(shape: grad.shape, scalars: Kernels.map(grad.scalars, .negate))] }
        case .sigmoid, .tanh:
            // Vector loops (recurrent layers apply these to every gate of every step); the derivative from the output.
            let sigmoid = function.fastPath == .sigmoid
            let output = Kernels.map(scalars, sigmoid ? .sigmoid : .tanh)
            return .recorded(Tensor(shape: shape, scalars: output), from: [self]) { grad, _ in
                [Tensor(shape: grad.shape, scalars: Kernels.zip(output, grad.scalars, sigmoid ? .sigmoidGradient : .tanhGradient))]
            }
        case .none:
            break
        }
        let input = scalars
        let output = Kernels.make(input.count) { y in
            input.withUnsafeBufferPointer { x in
                Parallel.forEachChunk(x.count, grain: 4096) { r in for i in r { y[i] = function.apply(x[i]) } }
            }
        }
        let out = Tensor(shape: shape, scalars: output)
        return .recorded(out, from: [self]) { grad, _ in
            let g = Kernels.make(grad.count) { d in
                grad.scalars.withUnsafeBufferPointer { g in
                    input.withUnsafeBufferPointer { x in
                        output.withUnsafeBufferPointer { y in
                            Parallel.forEachChunk(g.count, grain: 4096) { r in
                                for i in r { d[i] = g[i] * function.derivative(x[i], y[i]) }
                            }
                        }
                    }
                }
            }
            return [Tensor(shape: grad.shape, scalars: g)]
        }
    }

    /// `-self`.
    public func negated() -> Tensor { applying(.negate) }
    /// `e^self`.
    public func exp() -> Tensor { applying(.exp) }
    /// Natural logarithm.
    public func log() -> Tensor { applying(.log) }
    /// Square root.
    public func sqrt() -> Tensor { applying(.sqrt) }
    /// `self²`.
    public func squared() -> Tensor { applying(.square) }
    /// Absolute value.
    public func abs() -> Tensor { applying(.abs) }
    /// `max(self, 0)`.
    public func relu() -> Tensor { applying(.relu) }
    /// Limits every element to `[low, high]`; the gradient is 1 inside the range and 0 outside.
    public func clipped(to low: Float, _ high: Float) -> Tensor { applying(.clip(low, high)) }
}

extension UnaryFunction {
    /// `-x`.
    public static let negate = UnaryFunction(name: "negate", apply: { -$0 }, derivative: { _, _ in -1 }, fastPath: .negate)
    /// `e^x`.
    public static let exp = UnaryFunction(name: "exp", apply: { Foundation.exp($0) }, derivative: { _, y in y })
    /// `ln x`.
    public static let log = UnaryFunction(name: "log", apply: { Foundation.log($0) }, derivative: { x, _ in 1 / x })
    /// `√x`.
    public static let sqrt = UnaryFunction(name: "sqrt", apply: { Foundation.sqrt($0) }, derivative: { _, y in 0.5 / y })
    /// `x²`.
    public static let square = UnaryFunction(name: "square", apply: { $0 * $0 }, derivative: { x, _ in 2 * x })
    /// `|x|`; the derivative at 0 is 1, as JAX defines it (what Keras differentiates with).
    public static let abs = UnaryFunction(name: "abs", apply: { Swift.abs($0) }, derivative: { x, _ in x >= 0 ? 1 : -1 })
    /// `max(x, 0)`; the derivative at 0 is 0, as in JAX and TensorFlow.
    public static let relu = UnaryFunction(name: "relu", apply: { Swift.max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 },
                                           fastPath: .relu)
    /// `x` limited to `[low, high]`.
    public static func clip(_ low: Float, _ high: Float) -> UnaryFunction {
        UnaryFunction(name: "clip", apply: { Swift.min(Swift.max($0, low), high) },
                      derivative: { x, _ in x >= low && x <= high ? 1 : 0 })
    }
}
