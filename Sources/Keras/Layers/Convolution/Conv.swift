import TensorEngine

/// The base of Keras's `Conv1D`, `Conv2D` and `Conv3D`: `activation(conv(inputs, kernel) + bias)` with a kernel of
/// shape `(*kernel_size, input_channels / groups, filters)`, computed by im2col + GEMM (channels-first inputs are
/// moved to channels-last and back).
open class Conv: Layer {
    /// 1 for Conv1D, 2 for Conv2D, 3 for Conv3D.
    open class var spatialRank: Int { 2 }

    /// The number of output channels (Keras's `filters`).
    public let filters: Int
    /// The window's size along each spatial axis (Keras's `kernel_size`).
    public let kernelSize: [Int]
    /// The step between windows along each spatial axis.
    public let strides: [Int]
    /// `valid` (no padding), `same` (output size ⌈input / stride⌉) or, for 1-D, `causal`.
    public let padding: Padding
    /// Where the channels axis lies (`channels_last` or `channels_first`).
    public let dataFormat: DataFormat
    /// The spacing between a window's taps along each spatial axis (Keras's `dilation_rate`).
    public let dilationRate: [Int]
    /// The number of groups of input channels, each with its own filters (Keras's `groups`).
    public let groups: Int
    /// Applied to the layer's output.
    public let activation: ActivationFunction
    /// Whether a bias is added.
    public let useBias: Bool
    /// The kernel, once built.
    public private(set) var kernel: Variable?
    /// The `(filters,)` bias, once built, when `useBias`.
    public private(set) var bias: Variable?

    open override class var configuredWeights: [ConfiguredWeight] { [.init("kernel", .glorotUniform), .init("bias", .zeros)] }

    /// A convolution with `filters` outputs and windows of `kernelSize` (one size per spatial axis).
    public init(filters: Int, kernelSize: [Int], strides: [Int]? = nil, padding: Padding = .valid,
                dataFormat: DataFormat = .channelsLast, dilationRate: [Int]? = nil, groups: Int = 1, activation: ActivationFunction = .linear, useBias: Bool = true,
                kernel: WeightOptions = WeightOptions(.glorotUniform), bias: WeightOptions = WeightOptions(.zeros),
                activityRegularizer: Regularizer? = nil, name: String? = nil) {
        let rank = Self.spatialRank
        self.filters = filters
        self.kernelSize = kernelSize.count == 1 ? Array(repeating: kernelSize[0], count: rank) : kernelSize
        self.strides = strides.map { $0.count == 1 ? Array(repeating: $0[0], count: rank) : $0 } ?? Array(repeating: 1, count: rank)
        self.padding = padding
        self.dataFormat = dataFormat
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
        dataFormat = config.dataFormat()
        try super.init(from: config)
    }

    public override func build(inputShape: [Int]) throws {
        let channels = try Spatial.dims(inputShape, rank: Self.spatialRank, self, format: dataFormat).channels
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
        let (spatial, _) = try Spatial.dims(Array(inputs.shape.dropFirst()), rank: Self.spatialRank, self, format: dataFormat)
        var x = Tensor.conv(Spatial.channelsLast(inputs, from: dataFormat), kernel.value, geometry: geometry(spatial), groups: groups)
        if let bias { x = x + bias.value }
        return Spatial.restoring(activation(x), to: dataFormat)
    }

    /// The window of this convolution on inputs of `spatial` positions per axis.
    func geometry(_ spatial: [Int]) -> WindowGeometry {
        Spatial.geometry(kernel: kernelSize, strides: strides, dilation: dilationRate, padding: padding, input: spatial)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (spatial, _) = try Spatial.dims(inputShape, rank: Self.spatialRank, self, format: dataFormat)
        return try Spatial.shape(geometry(spatial).outputSize(spatial), filters, format: dataFormat, self, input: inputShape)
    }

    public override func config() -> JSONObject {
        var c = JSONObject()
        c["filters"] = .int(filters)
        c.appendWindow(kernelSize: kernelSize, strides: strides, padding: padding, dataFormat: dataFormat, dilationRate: dilationRate)
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
public final class Conv2D: Conv {}

/// Keras's `Conv3D`: 3-D convolution over `[depth, height, width, channels]` inputs (or channels-first).
///
/// ```swift
/// Conv3D(8, kernelSize: [3, 3, 3], padding: .same, activation: .relu)
/// ```
public final class Conv3D: Conv {
    public override class var spatialRank: Int { 3 }
}

extension Conv {
    /// A convolution (`Conv2D`, `Conv3D`) with `filters` outputs and windows of `kernelSize` (one size per axis).
    public convenience init(_ filters: Int, kernelSize: [Int], strides: [Int]? = nil, padding: Padding = .valid,
                            dataFormat: DataFormat = .channelsLast, dilationRate: [Int]? = nil, groups: Int = 1,
                            activation: ActivationFunction = .linear, useBias: Bool = true,
                            kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                            activityRegularizer: Regularizer? = nil, kernelConstraint: Constraint? = nil,
                            biasConstraint: Constraint? = nil, name: String? = nil) {
        self.init(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding, dataFormat: dataFormat,
                  dilationRate: dilationRate, groups: groups, activation: activation, useBias: useBias,
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
