import TensorEngine

/// Operations that reduce or scan along feature axes: `ops.mean(x, axis=1)`, `ops.argmax(x, axis=-1)`,
/// `ops.cumsum(x, axis=1)`, `ops.softmax(x)` … Reducing over every axis (`axis=None`, the batch included) is not
/// supported: a model's output keeps its batch axis.
extension KerasOperation {
    static let reductionOperations: [String: Builder] = [
        "Sum": perAxis { x, a, keep in x.sum(alongAxis: a, keepingDims: keep) },
        "Mean": perAxis { x, a, keep in x.mean(alongAxis: a, keepingDims: keep) },
        "Max": perAxis(max), "Amax": perAxis(max),
        "Min": perAxis(min), "Amin": perAxis(min),
        "Prod": perAxis { x, a, keep in
            let product = x.cumulativeProduct(alongAxis: a).slice(alongAxis: a, from: x.shape[a] - 1, count: 1)
            return keep ? product : product.reshaped(to: x.shape.enumerated().filter { $0.offset != a }.map(\.element))
        },
        "Any": perAxis { x, a, keep in max(x.notEqual(0), a, keep) },
        "All": perAxis { x, a, keep in min(x.notEqual(0), a, keep) },
        "Var": reduction(variance),
        "Std": reduction { x, axes, keep in variance(x, axes, keep).sqrt() },
        "Logsumexp": reduction { x, axes, keep in
            // As JAX: the maximum (0 where it is not finite) taken out, without a gradient.
            var peak = x.detached
            for a in axes { peak = peak.max(alongAxis: a, keepingDims: true) }
            peak = Tensor.selecting(peak.applying(.isFinite), peak, Tensor(0))
            var sum = (x - peak).exp()
            for a in axes { sum = sum.sum(alongAxis: a, keepingDims: true) }
            let result = sum.log() + peak
            return keep ? result : result.reshaped(to: x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element))
        },
        "Argmax": { op in try argReduction(op) { $0 } },
        "Argmin": { op in try argReduction(op) { $0.negated() } },
        "Cumsum": { op in try scan(op) { $0.cumulativeSum(alongAxis: $1) } },
        "Cumprod": { op in try scan(op) { $0.cumulativeProduct(alongAxis: $1) } },
        "Softmax": { op in try scan(op, defaultAxis: -1) { $0.softmax(alongAxis: $1) } },
        "LogSoftmax": { op in try scan(op, defaultAxis: -1) { $0.logSoftmax(alongAxis: $1) } },
    ]

    private static func max(_ x: Tensor, _ a: Int, _ keep: Bool) -> Tensor { x.max(alongAxis: a, keepingDims: keep) }
    private static func min(_ x: Tensor, _ a: Int, _ keep: Bool) -> Tensor { x.negated().max(alongAxis: a, keepingDims: keep).negated() }

    /// The mean squared deviation from the mean over `axes` (NumPy's `var`, no correction).
    private static func variance(_ x: Tensor, _ axes: [Int], _ keep: Bool) -> Tensor {
        var mean = x
        for a in axes { mean = mean.mean(alongAxis: a, keepingDims: true) }
        var out = (x - mean).squared()
        for a in axes { out = out.mean(alongAxis: a, keepingDims: keep) }
        return out
    }

    /// A reduction over the config's `axis` (feature axes, distinct, given to `f` from the last) and `keepdims`.
    private static func reduction(_ f: @escaping @Sendable (Tensor, [Int], Bool) -> Tensor) -> Builder {
        { op in
            guard let axes = op.axes() else {
                throw ConfigError(issues: ["\(op.what): reducing over every axis (the batch included) is not supported"])
            }
            let keep = op.value("keepdims", default: false)
            return op.unary { x in f(x, Set(try axes.map { try op.featureAxis($0, rank: x.rank) }).sorted(by: >), keep) }
        }
    }

    /// A reduction made of one reduction per axis.
    private static func perAxis(_ f: @escaping @Sendable (Tensor, Int, Bool) -> Tensor) -> Builder {
        reduction { x, axes, keep in axes.reduce(x) { f($0, $1, keep) } }
    }

    /// `Argmax` / `Argmin` (the latter as the argmax of `-x`): the index along one feature axis.
    private static func argReduction(_ op: OperationConfig, _ prepare: @escaping @Sendable (Tensor) -> Tensor) throws -> Compute {
        let axis = try op.axis()
        let keep = op.value("keepdims", default: false)
        return op.unary { x in prepare(x.detached).argmax(alongAxis: try op.featureAxis(axis, rank: x.rank), keepingDims: keep) }
    }

    /// An operation along one feature axis that keeps the shape (`cumsum`, `softmax`).
    private static func scan(_ op: OperationConfig, defaultAxis: Int? = nil, _ f: @escaping @Sendable (Tensor, Int) -> Tensor) throws -> Compute {
        let axis = try op.axis(default: defaultAxis)
        return op.unary { x in f(x, try op.featureAxis(axis, rank: x.rank)) }
    }
}
