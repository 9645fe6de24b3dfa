import TensorEngine

/// The base of Keras's `Conv1DTranspose`, `Conv2DTranspose` and `Conv3DTranspose`: `activation(conv_transpose(inputs,
/// kernel) + bias)` with a kernel of shape `(*kernel_size, filters, input_channels)` — each input pixel spreads
/// `kernel · pixel` over a window of the larger output (the adjoint of a convolution, as in autoencoders, GANs and
/// segmentation decoders).
open class ConvTranspose: Conv {
    /// Extra rows / columns at the end of the output, per spatial axis (`output_padding`), or nil for Keras's default.
    public let outputPadding: [Int]?

    /// A transposed convolution with `filters` outputs and windows of `kernelSize` (one size per spatial axis).
    public init(filters: Int, kernelSize: [Int], strides: [Int]? = nil, padding: Padding = .valid, outputPadding: [Int]? = nil,
                dataFormat: DataFormat = .channelsLast, dilationRate: [Int]? = nil, activation: ActivationFunction = .linear,
                useBias: Bool = true, name: String? = nil) {
        let rank = Self.spatialRank
        self.outputPadding = outputPadding.map { $0.count == 1 ? Array(repeating: $0[0], count: rank) : $0 }
        super.init(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding, dataFormat: dataFormat,
                   dilationRate: dilationRate, activation: activation, useBias: useBias, name: name)
    }

    public required init(from config: ConfigReader) throws {
        let rank = Self.spatialRank
        outputPadding = config.object["output_padding"].flatMap { $0 == .null ? nil : $0 } == nil
            ? nil : config.windowSizes("output_padding", rank: rank, default: nil, minimum: 0)
        try super.init(from: config)
        if padding == .causal { config.report("padding 'causal' does not exist for \(Self.kerasClassName)") }
        if groups != 1 { config.report("'groups' does not exist for \(Self.kerasClassName)") }
        if let outputPadding, zip(outputPadding, strides).contains(where: { $0 >= $1 }) {
            config.report("output_padding \(outputPadding) must be smaller than strides \(strides) (as in Keras)")
        }
    }

    public override func build(inputShape: [Int]) throws {
        let channels = try Spatial.dims(inputShape, rank: Self.spatialRank, self, format: dataFormat).channels
        try buildWeights(kernelShape: kernelSize + [filters, channels])
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw ShapeError("\(displayName) was called before it was built") }
        let (spatial, _) = try Spatial.dims(Array(inputs.shape.dropFirst()), rank: Self.spatialRank, self, format: dataFormat)
        let (g, size) = try transposedGeometry(spatial)
        var x = Tensor.convTranspose(Spatial.channelsLast(inputs, from: dataFormat), kernel.value, geometry: g, outputSize: size)
        if let bias { x = x + bias.value }
        return Spatial.restoring(activation(x), to: dataFormat)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (spatial, _) = try Spatial.dims(inputShape, rank: Self.spatialRank, self, format: dataFormat)
        return try Spatial.shape(transposedGeometry(spatial).1, filters, format: dataFormat, self, input: inputShape)
    }

    /// The output size and the convolution whose adjoint this layer computes: Keras's padding rule for JAX's
    /// `conv_transpose` (`left = span − 1` and `right = left + output_padding` for 'valid'; for 'same' a total of
    /// `stride + span − 2`, or `span + span % 2 − 2 + output_padding`, split with the larger half first but at most
    /// `span − 1`), turned into that convolution's padding before (`span − 1 − left`).
    func transposedGeometry(_ inputs: [Int]) throws -> (WindowGeometry, [Int]) {
        var g = WindowGeometry(kernel: kernelSize, strides: strides, dilation: dilationRate)
        var sizes: [Int] = []
        for axis in 0..<Self.spatialRank {
            let span = g.span[axis], s = strides[axis], extra = outputPadding?[axis]
            let (left, right): (Int, Int)
            if padding == .same {
                let total = extra.map { span + span % 2 - 2 + $0 } ?? s + span - 2
                left = Swift.min(total / 2 + total % 2, span - 1)
                right = total - left
            } else {
                left = span - 1
                right = span - 1 + (extra ?? Swift.max(span, s) - span)
            }
            let size = (inputs[axis] - 1) * s + left + right - span + 2
            guard size > 0 else {
                throw ShapeError("\(displayName): an input of \(inputs[axis]) positions gives an empty output")
            }
            sizes.append(size)
            g.padBefore[axis] = span - 1 - left
            g.padAfter[axis] = (inputs[axis] - 1) * s + span - size - (span - 1 - left)
        }
        return (g, sizes)
    }

    public override func config() -> JSONObject {
        var c = super.config()
        c["groups"] = nil
        return c.inserting("output_padding", outputPadding.map(sizesJSON) ?? .null, after: "padding")
    }
}

/// Keras's `Conv2DTranspose`: transposed 2-D convolution over `[height, width, channels]` inputs.
///
/// ```swift
/// Conv2DTranspose(32, kernelSize: [3, 3], strides: [2, 2], padding: .same, activation: .relu)
/// ```
public final class Conv2DTranspose: ConvTranspose {}

/// Keras's `Conv3DTranspose`: transposed 3-D convolution over `[depth, height, width, channels]` inputs (or
/// channels-first).
public final class Conv3DTranspose: ConvTranspose {
    public override class var spatialRank: Int { 3 }
}

extension ConvTranspose {
    /// A transposed convolution (`Conv2DTranspose`, `Conv3DTranspose`) with `filters` outputs.
    public convenience init(_ filters: Int, kernelSize: [Int], strides: [Int]? = nil, padding: Padding = .valid,
                            outputPadding: [Int]? = nil, dataFormat: DataFormat = .channelsLast, dilationRate: [Int]? = nil,
                            activation: ActivationFunction = .linear, useBias: Bool = true, name: String? = nil) {
        self.init(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding, outputPadding: outputPadding,
                  dataFormat: dataFormat, dilationRate: dilationRate, activation: activation, useBias: useBias, name: name)
    }
}

/// Keras's `Conv1DTranspose`: transposed 1-D convolution over `[steps, channels]` inputs.
public final class Conv1DTranspose: ConvTranspose {
    public override class var spatialRank: Int { 1 }

    /// A transposed 1-D convolution with `filters` outputs.
    public convenience init(_ filters: Int, kernelSize: Int, strides: Int = 1, padding: Padding = .valid,
                            outputPadding: Int? = nil, dilationRate: Int = 1, activation: ActivationFunction = .linear,
                            useBias: Bool = true, name: String? = nil) {
        self.init(filters: filters, kernelSize: [kernelSize], strides: [strides], padding: padding,
                  outputPadding: outputPadding.map { [$0] }, dilationRate: [dilationRate], activation: activation,
                  useBias: useBias, name: name)
    }
}
