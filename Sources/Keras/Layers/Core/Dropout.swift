import TensorEngine

/// Keras's `Dropout`: in training, zeroes each element with probability `rate` and scales the rest by
/// `1 / (1 − rate)` (inverted dropout); at inference it is the identity.
public final class Dropout: Layer {
    /// The fraction of inputs set to zero in training (the rest scaled by 1 / (1 − rate)).
    public let rate: Double
    /// The seed of the dropout masks, if the file or caller fixed one.
    public let seed: Int?
    /// The shape of the dropout mask, broadcast over the input (`[nil, 1, 1, 1]` drops whole samples, as
    /// EfficientNet's stochastic depth does); nil entries take the input's size. nil: one mask element per input element.
    public private(set) var noiseShape: [Int?]?

    /// Passes a mask on unchanged, as Keras's does (`supports_masking`).
    public override var supportsMasking: Bool { true }

    /// A dropout layer with drop probability `rate`.
    public init(_ rate: Double, seed: Int? = nil, name: String? = nil) {
        self.rate = rate
        self.seed = seed
        super.init(name: name)
        if let seed { rng = RandomGenerator(seed: UInt64(bitPattern: Int64(seed))) }
    }

    public required init(from config: ConfigReader) throws {
        rate = config.require("rate")
        seed = config.optional("seed")
        if !(0...1).contains(rate) { config.report("rate must be in [0, 1], found \(rate)") }
        if let shape = config.object["noise_shape"], shape != .null {
            do { noiseShape = try ConfigShape(configValue: shape).dims } catch { config.report("noise_shape: \(error.message)") }
        }
        try super.init(from: config)
        if let seed { rng = RandomGenerator(seed: UInt64(bitPattern: Int64(seed))) }
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard training, rate > 0 else { return inputs }
        if rate >= 1 { return inputs * Tensor.zeros(inputs.shape) }
        let keep = Float(1 - rate)
        var maskShape = inputs.shape
        if let noiseShape {
            guard noiseShape.count == inputs.rank,
                  zip(noiseShape, inputs.shape).allSatisfy({ $0.0 == nil || $0.0 == 1 || $0.0 == $0.1 }) else {
                throw ShapeError("\(displayName): noise_shape \(Shape.describe(noiseShape)) does not broadcast to inputs of shape \(inputs.shape)")
            }
            maskShape = zip(noiseShape, inputs.shape).map { $0.0 ?? $0.1 }
        }
        return inputs * rng.dropoutMask(shape: maskShape, keepProbability: keep)
    }

    public override func config() -> JSONObject {
        ["rate": .double(rate), "seed": seed.map { .int($0) } ?? .null,
         "noise_shape": noiseShape.map { .array($0.map { $0.map { .int($0) } ?? .null }) } ?? .null]
    }

    public override class var hasBuildConfig: Bool { false }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }
}
