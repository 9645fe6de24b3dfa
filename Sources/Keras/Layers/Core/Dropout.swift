import TensorEngine

/// Keras's `Dropout`: in training, zeroes each element with probability `rate` and scales the rest by
/// `1 / (1 − rate)` (inverted dropout); at inference it is the identity.
public final class Dropout: Layer {
    public let rate: Double
    public let seed: Int?

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
        if config.object["noise_shape"].map({ $0 != .null }) == true { config.report("noise_shape is not supported") }
        try super.init(from: config)
        if let seed { rng = RandomGenerator(seed: UInt64(bitPattern: Int64(seed))) }
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard training, rate > 0 else { return inputs }
        if rate >= 1 { return inputs * Tensor.zeros(inputs.shape) }
        let keep = Float(1 - rate)
        var mask = [Float](repeating: 0, count: inputs.count)
        for i in 0..<mask.count where rng.nextUnitFloat() < keep { mask[i] = 1 / keep }
        return inputs * Tensor(shape: inputs.shape, scalars: mask)
    }

    public override func config() -> JSONObject {
        ["rate": .double(rate), "seed": seed.map { .int($0) } ?? .null, "noise_shape": .null]
    }

    public override class var hasBuildConfig: Bool { false }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }
}
