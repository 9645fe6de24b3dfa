import TensorEngine

/// Keras's `SeparableConv2D`: a depthwise convolution (each input channel with its own `depth_multiplier` filters,
/// moved by `strides`), then a 1×1 pointwise convolution to `filters` outputs, plus bias and activation. Weights, in
/// Keras's order: `depthwise_kernel` `(kh, kw, in, depth_multiplier)`, `pointwise_kernel` `(1, 1, in·depth_multiplier,
/// filters)`, `bias`.
public final class SeparableConv2D: Layer {
    /// The number of output channels (Keras's `filters`).
    public let filters: Int
    /// The window's size along each spatial axis (Keras's `kernel_size`).
    public let kernelSize: [Int]
    /// The step between windows along each spatial axis.
    public let strides: [Int]
    /// `valid` (no padding), `same` (output size ⌈input / stride⌉) or, for 1-D, `causal`.
    public let padding: Padding
    /// The spacing between a window's taps along each spatial axis (Keras's `dilation_rate`).
    public let dilationRate: [Int]
    /// Output channels per input channel of the depthwise step (Keras's `depth_multiplier`).
    public let depthMultiplier: Int
    /// Applied to the layer's output.
    public let activation: ActivationFunction
    /// Whether a bias is added.
    public let useBias: Bool
    /// The depthwise kernel `(kh, kw, channels, depth_multiplier)`, once built.
    public private(set) var depthwiseKernel: Variable?
    /// The pointwise kernel `(1, 1, channels·depth_multiplier, filters)`, once built.
    public private(set) var pointwiseKernel: Variable?
    /// The bias, once built, when `useBias`.
    public private(set) var bias: Variable?

    public override class var configuredWeights: [ConfiguredWeight] {
        [.init("depthwise", .glorotUniform), .init("pointwise", .glorotUniform), .init("bias", .zeros)]
    }

    /// A separable convolution with `filters` outputs and windows of `kernelSize`.
    public init(_ filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid, depthMultiplier: Int = 1,
                activation: ActivationFunction = .linear, useBias: Bool = true, name: String? = nil) {
        self.filters = filters
        self.kernelSize = kernelSize.count == 1 ? [kernelSize[0], kernelSize[0]] : kernelSize
        self.strides = strides
        self.padding = padding
        self.dilationRate = [1, 1]
        self.depthMultiplier = depthMultiplier
        self.activation = activation
        self.useBias = useBias
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        filters = config.require("filters")
        if filters <= 0 { config.report("filters must be positive, found \(filters)") }
        kernelSize = config.windowSizes("kernel_size", rank: 2, default: nil)
        strides = config.windowSizes("strides", rank: 2, default: [1, 1])
        dilationRate = config.windowSizes("dilation_rate", rank: 2, default: [1, 1])
        padding = config.value("padding", default: .valid)
        if padding == .causal { config.report("padding 'causal' exists only for Conv1D") }
        depthMultiplier = config.value("depth_multiplier", default: 1)
        if depthMultiplier < 1 { config.report("depth_multiplier must be positive, found \(depthMultiplier)") }
        activation = config.value("activation", default: .linear)
        useBias = config.value("use_bias", default: true)
        config.requireChannelsLast()
        try super.init(from: config)
    }

    public override func build(inputShape: [Int]) throws {
        let channels = try Spatial.dims(inputShape, rank: 2, self).channels
        depthwiseKernel = try addWeight(name: "depthwise_kernel", shape: kernelSize + [channels, depthMultiplier], options: options(for: "depthwise"))
        pointwiseKernel = try addWeight(name: "pointwise_kernel", shape: [1, 1, channels * depthMultiplier, filters], options: options(for: "pointwise"))
        if useBias { bias = try addWeight(name: "bias", shape: [filters], options: options(for: "bias")) }
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard let depthwiseKernel, let pointwiseKernel else { throw ShapeError("\(displayName) was called before it was built") }
        let (spatial, c) = try Spatial.dims(Array(inputs.shape.dropFirst()), rank: 2, self)
        let g = Spatial.geometry(kernel: kernelSize, strides: strides, dilation: dilationRate, padding: padding, input: spatial)
        let depthwise = Tensor.conv(inputs, depthwiseKernel.value.reshaped(to: [kernelSize[0], kernelSize[1], 1, c * depthMultiplier]),
                                      geometry: g, groups: c)
        var x = Tensor.conv(depthwise, pointwiseKernel.value, geometry: WindowGeometry(kernel: [1, 1]))
        if let bias { x = x + bias.value }
        return activation(x)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (spatial, _) = try Spatial.dims(inputShape, rank: 2, self)
        let g = Spatial.geometry(kernel: kernelSize, strides: strides, dilation: dilationRate, padding: padding, input: spatial)
        return try Spatial.shape(g.outputSize(spatial), filters, self, input: inputShape)
    }

    public override func config() -> JSONObject {
        var c = JSONObject()
        c["depth_multiplier"] = .int(depthMultiplier)
        c["filters"] = .int(filters)
        c.appendWindow(kernelSize: kernelSize, strides: strides, padding: padding, dilationRate: dilationRate)
        c["activation"] = .string(activation.rawValue)
        c["use_bias"] = .bool(useBias)
        c.appendWeightOptions(Self.configuredWeights, weightOptions, activityRegularizer: .some(activityRegularizer))
        return c
    }
}
