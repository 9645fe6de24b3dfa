import TensorEngine

/// Keras's preprocessing `Normalization`: `(x − mean) / max(√variance, 1e-7)` per feature along `axis` (or the
/// inverse with `invert`). The statistics come from the config (`mean`, `variance` given as numbers or lists) or, for
/// a layer that was adapted, from its non-trainable weights `mean`, `variance` and `count`.
public final class Normalization: Layer {
    /// The kept axes as configured (counted with the batch axis).
    public let axes: [Int]
    /// Whether the layer undoes the normalisation (`x · std + mean`) instead.
    public let invert: Bool
    private let configMean: [Float]?
    private let configVariance: [Float]?
    /// The per-feature mean, once adapted or loaded.
    public private(set) var mean: Variable?
    /// The per-feature variance, once adapted or loaded.
    public private(set) var variance: Variable?
    /// The number of samples the statistics were computed from (Keras's `count`).
    public private(set) var count: Variable?

    /// Passes a mask on unchanged, as Keras's does (`supports_masking`).
    public override var supportsMasking: Bool { true }

    public required init(from config: ConfigReader) throws {
        if let single = config.object["axis"]?.intValue {
            axes = [single]
        } else {
            axes = config.value("axis", default: [-1])
        }
        invert = config.value("invert", default: false)
        func numbers(_ key: String) -> [Float]? {
            guard let json = config.object[key], json != .null else { return nil }
            if let d = json.doubleValue { return [Float(d)] }
            guard let values = json.arrayValue?.compactMap(\.doubleValue), values.count == json.arrayValue?.count else {
                config.report("'\(key)' must be a number or a flat list of numbers, found \(json.brief)")
                return nil
            }
            return values.map(Float.init)
        }
        configMean = numbers("mean")
        configVariance = numbers("variance")
        if (configMean == nil) != (configVariance == nil) { config.report("'mean' and 'variance' must be given together") }
        try super.init(from: config)
    }

    private func keptAxes(rank: Int) throws -> [Int] {
        let kept = axes.map { $0 < 0 ? $0 + rank : $0 }.sorted()
        guard kept.allSatisfy({ $0 >= 1 && $0 < rank }) else {
            throw ShapeError("\(displayName): axis \(axes) is not a feature axis of inputs of rank \(rank)")
        }
        return kept
    }

    public override func build(inputShape: [Int]) throws {
        let shape = try keptAxes(rank: inputShape.count + 1).map { inputShape[$0 - 1] }
        guard configMean == nil else { return }
        mean = try addWeight(name: "mean", shape: shape, initializer: .zeros, trainable: false)
        variance = try addWeight(name: "variance", shape: shape, initializer: .ones, trainable: false)
        count = try addWeight(name: "count", shape: [], initializer: .zeros, trainable: false)
        count?.storedAsInteger = true   // Keras's `count` is an int variable
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let kept = try keptAxes(rank: inputs.rank)
        let statShape = Normalize.broadcastShape(inputs.shape, keeping: kept)
        let m: Tensor, v: Tensor
        if let configMean, let configVariance {
            guard configMean.count == 1 || configMean.count == statShape.elementCount, configVariance.count == configMean.count else {
                throw ShapeError("\(displayName): mean and variance of \(configMean.count) values do not fit inputs of shape \(inputs.shape)")
            }
            let shape = configMean.count == 1 ? [] : statShape
            (m, v) = (Tensor(shape: shape, scalars: configMean), Tensor(shape: shape, scalars: configVariance))
        } else if let mean, let variance {
            (m, v) = (mean.value.reshaped(to: statShape), variance.value.reshaped(to: statShape))
        } else {
            throw ShapeError("\(displayName) was called before it was built")
        }
        let scale = Tensor.maximum(v.sqrt(), Tensor(1e-7))
        return invert ? m + inputs * scale : (inputs - m) / scale
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        _ = try keptAxes(rank: inputShape.count + 1)
        return inputShape
    }
}
