import TensorEngine

/// Keras's `GroupNormalization`: the channels on `axis` split into `groups`; each sample normalised by the mean and
/// biased variance of each group (over the group's channels and every other non-batch axis), then scaled by
/// `gamma` and shifted by `beta` per channel. `groups: -1` is one group per channel (instance normalization), one
/// group is layer normalization over everything.
public final class GroupNormalization: Layer {
    /// The number of groups (`-1`: as many as channels).
    public let groups: Int
    /// The channel axis (counted with the batch axis; negative from the end).
    public let axis: Int
    /// Added to the variance before its square root.
    public let epsilon: Double
    /// Whether there is an offset `beta`.
    public let center: Bool
    /// Whether there is a factor `gamma`.
    public let scale: Bool
    public override class var configuredWeights: [ConfiguredWeight] {
        [.init("beta", .zeros), .init("gamma", .ones)]
    }
    /// The per-channel factor, once built.
    public private(set) var gamma: Variable?
    /// The per-channel offset, once built.
    public private(set) var beta: Variable?

    /// A group normalization of the channels on `axis` in `groups` groups.
    public init(groups: Int = 32, axis: Int = -1, epsilon: Double = 1e-3, center: Bool = true, scale: Bool = true,
                name: String? = nil) {
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        groups = config.value("groups", default: 32)
        if groups == 0 || groups < -1 { config.report("groups must be positive or -1, found \(groups)") }
        axis = config.value("axis", default: -1)
        epsilon = config.value("epsilon", default: 1e-3)
        if !(epsilon >= 0) { config.report("epsilon must be non-negative, found \(epsilon)") }
        center = config.value("center", default: true)
        scale = config.value("scale", default: true)
        try super.init(from: config)
    }

    /// The channel axis of a batched input of `rank` axes, its channel count and the number of groups.
    private func layout(_ shape: [Int]) throws -> (axis: Int, channels: Int, groups: Int) {
        let resolved = axis < 0 ? axis + shape.count : axis
        guard resolved >= 1, resolved < shape.count else {
            throw ShapeError("\(displayName): axis \(axis) is not a feature axis of inputs of rank \(shape.count)")
        }
        let channels = shape[resolved]
        let count = groups == -1 ? channels : groups
        guard count > 0, count <= channels, channels % count == 0 else {
            throw ShapeError("\(displayName): \(channels) channels cannot be split into \(count) groups (as in Keras)")
        }
        return (resolved, channels, count)
    }

    public override func build(inputShape: [Int]) throws {
        let (_, channels, _) = try layout([1] + inputShape)
        if scale { gamma = try addWeight(name: "gamma", shape: [channels], options: options(for: "gamma")) }
        if center { beta = try addWeight(name: "beta", shape: [channels], options: options(for: "beta")) }
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let (axis, channels, groupCount) = try layout(inputs.shape)
        // [batch, …, groups, channels/groups, …]: statistics over every axis but the batch and the group axis.
        var grouped = inputs.shape
        grouped.replaceSubrange(axis...axis, with: [groupCount, channels / groupCount])
        let x = inputs.reshaped(to: grouped)
        let reduced = (1..<grouped.count).filter { $0 != axis }
        let (mean, variance) = Normalize.moments(x, axes: reduced)
        var perChannel = [Int](repeating: 1, count: grouped.count)
        perChannel.replaceSubrange(axis...axis + 1, with: [groupCount, channels / groupCount])
        let normalized = Normalize.apply(x, mean: mean, variance: variance, scale: gamma?.value.reshaped(to: perChannel),
                                         offset: beta?.value.reshaped(to: perChannel), epsilon: Float(epsilon))
        return normalized.reshaped(to: inputs.shape)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        _ = try layout([1] + inputShape)
        return inputShape
    }

    public override func config() -> JSONObject {
        var c = JSONObject()
        c["groups"] = .int(groups)
        c["axis"] = .int(axis)
        c["epsilon"] = .double(epsilon)
        c["center"] = .bool(center)
        c["scale"] = .bool(scale)
        c.appendWeightOptions(Self.configuredWeights, weightOptions)
        return c
    }
}
