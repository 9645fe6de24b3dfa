import TensorEngine

/// Keras's regression, probabilistic and hinge losses (keras/src/losses/losses.py), per sample: each is a mean
/// (or sum) over the last axis of an elementwise term, in Keras's order of operations.
enum OtherLosses {
    static func perSample(_ kind: Loss.Kind, yTrue t: Tensor, yPred p: Tensor) throws -> Tensor {
        switch kind {
        case .huber:
            // where(|e| ≤ δ, ½e², δ|e| − ½δ²) with δ = 1 (Keras does not save another delta).
            let error = p - t
            let absolute = error.abs()
            let inside = Tensor(shape: absolute.shape, scalars: absolute.scalars.map { $0 <= 1 ? 1 : 0 })   // a constant mask
            let quadratic = error.squared() * 0.5, linear = absolute - 0.5
            return (quadratic * inside + linear * (Tensor(1) - inside)).mean(alongAxis: -1)
        case .logCosh:
            let x = p - t
            return (x + (x * -2).applying(.softplus) - Float(0.6931471805599453)).mean(alongAxis: -1)
        case .klDivergence:
            let a = t.clipped(to: Loss.epsilon, 1), b = p.clipped(to: Loss.epsilon, 1)
            return (a * (a / b).log()).sum(alongAxis: -1)
        case .poisson:
            return (p - t * (p + Loss.epsilon).log()).mean(alongAxis: -1)
        case .cosineSimilarity:
            return (normalized(t) * normalized(p)).sum(alongAxis: -1).negated()
        case .hinge, .squaredHinge:
            let margin = (Tensor(1) - hingeLabels(t) * p).relu()
            return (kind == .hinge ? margin : margin.squared()).mean(alongAxis: -1)
        case .categoricalHinge:
            let positive = (t * p).sum(alongAxis: -1)
            let negative = ((Tensor(1) - t) * p).max(alongAxis: -1)
            return (negative - positive + 1).relu()
        default:
            throw ShapeError("\(kind.rawValue) is computed elsewhere")
        }
    }

    /// Keras's `normalize` along the last axis: `x · min(rsqrt(Σx²), 1/ε)`.
    private static func normalized(_ x: Tensor) -> Tensor {
        x * Tensor.minimum(Tensor(1) / x.squared().sum(alongAxis: -1, keepingDims: true).sqrt(), Tensor(1 / Loss.epsilon))
    }

    /// Labels all 0 or 1 become −1 or 1 (the whole batch decides, as in Keras); others are used as they are.
    private static func hingeLabels(_ t: Tensor) -> Tensor {
        t.scalars.allSatisfy { $0 == 0 || $0 == 1 } ? t * 2 - 1 : t
    }
}
