import TensorEngine

/// Keras's `Reshape`: gives each sample a new shape with the same number of elements (one entry may be -1).
public final class Reshape: Layer {
    /// The per-sample output shape; one entry may be −1 (inferred).
    public let targetShape: [Int]

    /// A reshape to per-sample `targetShape`.
    public init(_ targetShape: [Int], name: String? = nil) {
        self.targetShape = targetShape
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        targetShape = config.require("target_shape")
        if targetShape.filter({ $0 == -1 }).count > 1 || targetShape.contains(where: { $0 < -1 || $0 == 0 }) {
            config.report("target_shape \(targetShape) must hold positive sizes and at most one -1")
        }
        try super.init(from: config)
    }

    public override func config() -> JSONObject { ["target_shape": .array(targetShape.map { .int($0) })] }

    public override class var hasBuildConfig: Bool { false }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let n = try Shape.checkedElementCount(inputShape, "\(displayName) input")
        let known = try Shape.checkedElementCount(targetShape.filter { $0 != -1 }, "\(displayName) target_shape")
        var out = targetShape
        if let hole = out.firstIndex(of: -1), known > 0, n % known == 0 { out[hole] = n / known }
        guard out.elementCount == n else {
            throw ShapeError("\(displayName) cannot reshape \(Shape.describeBatched(inputShape)) to \(Shape.describeBatched(targetShape)): \(n) elements per sample")
        }
        return out
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let sample = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        return inputs.reshaped(to: [inputs.shape.first ?? 1] + sample)
    }
}
