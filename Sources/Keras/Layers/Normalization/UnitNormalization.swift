import TensorEngine

/// Keras's `UnitNormalization`: each sample scaled to unit L2 norm over `axis` (one axis or several):
/// `x · min(rsqrt(Σx²), 10¹²)`, as `keras.ops.normalize` computes it.
public final class UnitNormalization: Layer {
    /// The normalised axes as configured (counted with the batch axis; negative from the end).
    public let axes: [Int]
    /// Whether `axis` was written as a single int (written back the same way).
    private let axisIsList: Bool

    /// A unit normalization over `axes` (default: the last axis).
    public init(axes: [Int] = [-1], name: String? = nil) {
        self.axes = axes
        axisIsList = axes.count != 1
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        (axes, axisIsList) = config.normalizationAxes()
        try super.init(from: config)
    }

    private func resolvedAxes(rank: Int) throws -> [Int] { try Normalize.resolved(axes, rank: rank, for: self) }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        Normalize.l2(inputs, axes: try resolvedAxes(rank: inputs.rank), epsilon: 1e-12)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        _ = try resolvedAxes(rank: inputShape.count + 1)
        return inputShape
    }

    public override func config() -> JSONObject {
        ["axis": axisIsList ? .array(axes.map { .int($0) }) : .int(axes[0])]
    }
}
