import TensorEngine

/// Keras's `Softmax` layer over `axis`, one axis or several (counted with the batch axis; -1 is the last). Over
/// several axes each sample's slice spanning all of them sums to 1, as Keras's `exp(x − logsumexp(x, axis))`.
public final class Softmax: Layer {
    /// The axes as configured.
    public let axes: [Int]
    /// Whether `axis` was given as a list (written back the same way).
    private let axisIsList: Bool

    /// A softmax over `axis`.
    public init(axis: Int = -1, name: String? = nil) {
        axes = [axis]
        axisIsList = false
        super.init(name: name)
    }

    /// A softmax over every axis of `axes` together.
    public init(axes: [Int], name: String? = nil) {
        self.axes = axes
        axisIsList = true
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        if config.object["axis"]?.arrayValue != nil {
            axes = config.value("axis", default: [-1])
            axisIsList = true
            if axes.isEmpty { config.report("'axis' must name at least one axis") }
        } else {
            axes = [config.value("axis", default: -1)]
            axisIsList = false
        }
        try super.init(from: config)
    }

    /// The axis as Keras's single-axis form, when there is one.
    public var axis: Int? { axes.count == 1 ? axes[0] : nil }

    /// The softmax axes of a batched tensor of rank `rank`, each a feature axis, distinct.
    private func resolvedAxes(rank: Int) throws -> [Int] {
        let resolved = axes.map { $0 < 0 ? $0 + rank : $0 }
        guard !resolved.isEmpty, resolved.allSatisfy({ $0 >= 1 && $0 < rank }), Set(resolved).count == resolved.count else {
            let shown = axisIsList ? "\(axes)" : "\(axes.first ?? -1)"
            throw ShapeError("\(displayName): axis \(shown) does not name distinct feature axes of inputs of rank \(rank)")
        }
        return resolved
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let resolved = try resolvedAxes(rank: inputs.rank)
        if resolved.count == 1 { return inputs.softmax(alongAxis: resolved[0]) }
        // The maximum over the axes is a constant shift: it keeps exp from overflowing and carries no gradient.
        var peak = inputs.detached
        for a in resolved { peak = peak.max(alongAxis: a, keepingDims: true) }
        let e = (inputs - peak).exp()
        return e / e.sum(alongAxes: resolved, keepingDims: true)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        _ = try resolvedAxes(rank: inputShape.count + 1)
        return inputShape
    }

    public override class var hasBuildConfig: Bool { false }

    public override func config() -> JSONObject {
        ["axis": axisIsList ? .array(axes.map { .int($0) }) : .int(axes.first ?? -1)]
    }
}
