import TensorEngine

/// The base of Keras's `Conv1D` and `Conv2D` (channels-last): `activation(conv(inputs, kernel) + bias)` with a
/// kernel of shape `(*kernel_size, input_channels / groups, filters)`, computed by im2col + GEMM.
open class Conv: Layer {
    /// 1 for Conv1D, 2 for Conv2D.
    open class var spatialRank: Int { 2 }

    public let filters: Int
    public let kernelSize: [Int]
    public let strides: [Int]
    public let padding: Padding
    public let dilationRate: [Int]
    public let groups: Int
    public let activation: ActivationFunction
    public let useBias: Bool
    /// The kernel, once built.
    public private(set) var kernel: Variable?
    /// The `(filters,)` bias, once built, when `useBias`.
    public private(set) var bias: Variable?

    open override class var configuredWeights: [ConfiguredWeight] { [.init("kernel", .glorotUniform), .init("bias", .zeros)] }

    /// A convolution with `filters` outputs and windows of `kernelSize` (one size per spatial axis).
    public init(filters: Int, kernelSize: [Int], strides: [Int]? = nil, padding: Padding = .valid, dilationRate: [Int]? = nil,
                groups: Int = 1, activation: ActivationFunction = .linear, useBias: Bool = true,
                kernel: WeightOptions = WeightOptions(.glorotUniform), bias: WeightOptions = WeightOptions(.zeros),
                activityRegularizer: Regularizer? = nil, name: String? = nil) {
        let rank = Self.spatialRank
        self.filters = filters
        self.kernelSize = kernelSize.count == 1 ? Array(repeating: kernelSize[0], count: rank) : kernelSize
        self.strides = strides.map { $0.count == 1 ? Array(repeating: $0[0], count: rank) : $0 } ?? Array(repeating: 1, count: rank)
        self.padding = padding
        self.dilationRate = dilationRate.map { $0.count == 1 ? Array(repeating: $0[0], count: rank) : $0 } ?? Array(repeating: 1, count: rank)
        self.groups = groups
        self.activation = activation
        self.useBias = useBias
        super.init(name: name)
        weightOptions = ["kernel": kernel, "bias": bias]
        self.activityRegularizer = activityRegularizer
    }

    public required init(from config: ConfigReader) throws {
        let rank = Self.spatialRank
        filters = config.require("filters")
        if filters <= 0 { config.report("filters must be positive, found \(filters)") }
        kernelSize = config.windowSizes("kernel_size", rank: rank, default: nil)
        strides = config.windowSizes("strides", rank: rank, default: Array(repeating: 1, count: rank))
        dilationRate = config.windowSizes("dilation_rate", rank: rank, default: Array(repeating: 1, count: rank))
        padding = config.value("padding", default: .valid)
        if padding == .causal && rank != 1 { config.report("padding 'causal' exists only for Conv1D") }
        groups = config.value("groups", default: 1)
        if groups < 1 || (filters > 0 && filters % groups != 0) { config.report("groups must be positive and divide filters (\(filters)), found \(groups)") }
        if strides.contains(where: { $0 > 1 }) && dilationRate.contains(where: { $0 > 1 }) {
            config.report("strides > 1 together with dilation_rate > 1 is not supported (as in Keras)")
        }
        activation = config.value("activation", default: .linear)
        useBias = config.value("use_bias", default: true)
        config.requireChannelsLast()
        try super.init(from: config)
    }

    public override func build(inputShape: [Int]) throws {
        let (_, _, channels) = try Spatial.dims(inputShape, rank: Self.spatialRank, self)
        guard channels % groups == 0 else {
            throw ShapeError("\(displayName): input channels (\(channels)) must be divisible by groups (\(groups))")
        }
        try buildWeights(kernelShape: kernelSize + [channels / groups, filters])
    }

    /// Creates the kernel of `kernelShape` and the `(filters,)` bias, in Keras's order.
    func buildWeights(kernelShape: [Int]) throws {
        kernel = try addWeight(name: "kernel", shape: kernelShape, options: options(for: "kernel"))
        if useBias { bias = try addWeight(name: "bias", shape: [filters], options: options(for: "bias")) }
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw ShapeError("\(displayName) was called before it was built") }
        let rank = Self.spatialRank
        let (h, w, c) = try Spatial.dims(Array(inputs.shape.dropFirst()), rank: rank, self)
        let g = Spatial.geometry(kernel: kernelSize, strides: strides, dilation: dilationRate, padding: padding, height: h, width: w)
        let images = inputs.reshaped(to: [inputs.shape[0], h, w, c])
        let k = kernel.value.reshaped(to: [g.kernel.0, g.kernel.1, c / groups, filters])
        var x = Tensor.conv2d(images, k, geometry: g, groups: groups)
        if rank == 1 { x = x.reshaped(to: [x.shape[0], x.shape[2], filters]) }
        if let bias { x = x + bias.value }
        return activation(x)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (h, w, _) = try Spatial.dims(inputShape, rank: Self.spatialRank, self)
        let g = Spatial.geometry(kernel: kernelSize, strides: strides, dilation: dilationRate, padding: padding, height: h, width: w)
        let (oh, ow) = g.outputSize(height: h, width: w)
        let out = try Spatial.shape(rank: Self.spatialRank, oh, ow, filters, self, input: inputShape)
        _ = try Shape.checkedElementCount(out, "\(displayName) output")
        return out
    }

    public override func config() -> JSONObject {
        var c = JSONObject()
        c["filters"] = .int(filters)
        c.appendWindow(kernelSize: kernelSize, strides: strides, padding: padding, dilationRate: dilationRate)
        c["groups"] = .int(groups)
        c["activation"] = .string(activation.rawValue)
        c["use_bias"] = .bool(useBias)
        c.appendWeightOptions(Self.configuredWeights, weightOptions, activityRegularizer: .some(activityRegularizer))
        return c
    }
}

/// Keras's `Conv2D`: 2-D convolution over `[height, width, channels]` inputs.
///
/// ```swift
/// Conv2D(32, kernelSize: [3, 3], activation: .relu)
/// ```
public final class Conv2D: Conv {
    /// A 2-D convolution with `filters` outputs.
    public convenience init(_ filters: Int, kernelSize: [Int], strides: [Int]? = nil, padding: Padding = .valid,
                            dilationRate: [Int]? = nil, groups: Int = 1, activation: ActivationFunction = .linear,
                            useBias: Bool = true, kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                            activityRegularizer: Regularizer? = nil, kernelConstraint: Constraint? = nil,
                            biasConstraint: Constraint? = nil, name: String? = nil) {
        self.init(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding, dilationRate: dilationRate,
                  groups: groups, activation: activation, useBias: useBias,
                  kernel: WeightOptions(.glorotUniform, regularizer: kernelRegularizer, constraint: kernelConstraint),
                  bias: WeightOptions(.zeros, regularizer: biasRegularizer, constraint: biasConstraint),
                  activityRegularizer: activityRegularizer, name: name)
    }
}

/// Keras's `Conv1D`: 1-D convolution over `[steps, channels]` inputs (`padding: .causal` for causal models).
public final class Conv1D: Conv {
    public override class var spatialRank: Int { 1 }

    /// A 1-D convolution with `filters` outputs.
    public convenience init(_ filters: Int, kernelSize: Int, strides: Int = 1, padding: Padding = .valid, dilationRate: Int = 1,
                            groups: Int = 1, activation: ActivationFunction = .linear, useBias: Bool = true, name: String? = nil) {
        self.init(filters: filters, kernelSize: [kernelSize], strides: [strides], padding: padding, dilationRate: [dilationRate],
                  groups: groups, activation: activation, useBias: useBias, name: name)
    }
}
