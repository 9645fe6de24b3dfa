import TensorEngine

/// Keras's `DepthwiseConv2D`: each input channel convolved with its own `depth_multiplier` filters (kernel
/// `(kh, kw, channels, depth_multiplier)`, output channel `c · depth_multiplier + m`), plus bias and activation.
public final class DepthwiseConv2D: Layer {
    /// The window's size along each spatial axis (Keras's `kernel_size`).
    public let kernelSize: [Int]
    /// Output channels per input channel of the depthwise step (Keras's `depth_multiplier`).
    public let depthMultiplier: Int
    /// The step between windows along each spatial axis.
    public let strides: [Int]
    /// `valid` (no padding), `same` (output size ⌈input / stride⌉) or, for 1-D, `causal`.
    public let padding: Padding
    /// The spacing between a window's taps along each spatial axis (Keras's `dilation_rate`).
    public let dilationRate: [Int]
    /// Applied to the layer's output.
    public let activation: ActivationFunction
    /// Whether a bias is added.
    public let useBias: Bool
    /// The kernel, once built.
    public private(set) var kernel: Variable?
    /// The bias, once built, when `useBias`.
    public private(set) var bias: Variable?

    public override class var configuredWeights: [ConfiguredWeight] { [.init("depthwise", .glorotUniform), .init("bias", .zeros)] }

    /// A depthwise convolution with windows of `kernelSize`.
    public init(kernelSize: [Int], depthMultiplier: Int = 1, strides: [Int] = [1, 1], padding: Padding = .valid,
                dilationRate: [Int] = [1, 1], activation: ActivationFunction = .linear, useBias: Bool = true, name: String? = nil) {
        self.kernelSize = kernelSize.count == 1 ? [kernelSize[0], kernelSize[0]] : kernelSize
        self.depthMultiplier = depthMultiplier
        self.strides = strides
        self.padding = padding
        self.dilationRate = dilationRate
        self.activation = activation
        self.useBias = useBias
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        kernelSize = config.windowSizes("kernel_size", rank: 2, default: nil)
        depthMultiplier = config.value("depth_multiplier", default: 1)
        if depthMultiplier < 1 { config.report("depth_multiplier must be positive, found \(depthMultiplier)") }
        strides = config.windowSizes("strides", rank: 2, default: [1, 1])
        dilationRate = config.windowSizes("dilation_rate", rank: 2, default: [1, 1])
        padding = config.value("padding", default: .valid)
        if padding == .causal { config.report("padding 'causal' exists only for Conv1D") }
        activation = config.value("activation", default: .linear)
        useBias = config.value("use_bias", default: true)
        config.requireChannelsLast()
        try super.init(from: config)
    }

    public override func build(inputShape: [Int]) throws {
        let channels = try Spatial.dims(inputShape, rank: 2, self).channels
        kernel = try addWeight(name: "kernel", shape: kernelSize + [channels, depthMultiplier], options: options(for: "depthwise"))
        if useBias { bias = try addWeight(name: "bias", shape: [channels * depthMultiplier], options: options(for: "bias")) }
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw ShapeError("\(displayName) was called before it was built") }
        let (spatial, c) = try Spatial.dims(Array(inputs.shape.dropFirst()), rank: 2, self)
        let g = Spatial.geometry(kernel: kernelSize, strides: strides, dilation: dilationRate, padding: padding, input: spatial)
        // (kh, kw, C, M) has the memory layout of a grouped kernel (kh, kw, 1, C·M) with one group per channel.
        let k = kernel.value.reshaped(to: [kernelSize[0], kernelSize[1], 1, c * depthMultiplier])
        var x = Tensor.conv(inputs, k, geometry: g, groups: c)
        if let bias { x = x + bias.value }
        return activation(x)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (spatial, c) = try Spatial.dims(inputShape, rank: 2, self)
        let g = Spatial.geometry(kernel: kernelSize, strides: strides, dilation: dilationRate, padding: padding, input: spatial)
        return try Spatial.shape(g.outputSize(spatial), c * depthMultiplier, self, input: inputShape)
    }

    public override func config() -> JSONObject {
        var c = JSONObject()
        c["depth_multiplier"] = .int(depthMultiplier)
        c.appendWindow(kernelSize: kernelSize, strides: strides, padding: padding, dilationRate: dilationRate)
        c["activation"] = .string(activation.rawValue)
        c["use_bias"] = .bool(useBias)
        c.appendWeightOptions(Self.configuredWeights, weightOptions, activityRegularizer: .some(activityRegularizer))
        return c
    }
}
