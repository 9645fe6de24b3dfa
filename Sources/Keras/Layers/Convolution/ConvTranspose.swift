import TensorEngine

/// The base of Keras's `Conv1DTranspose` and `Conv2DTranspose` (channels-last): `activation(conv_transpose(inputs,
/// kernel) + bias)` with a kernel of shape `(*kernel_size, filters, input_channels)` — each input pixel spreads
/// `kernel · pixel` over a window of the larger output (the adjoint of a convolution, as in autoencoders, GANs and
/// segmentation decoders).
open class ConvTranspose: Conv {
    /// Extra rows / columns at the end of the output, per spatial axis (`output_padding`), or nil for Keras's default.
    public let outputPadding: [Int]?

    /// A transposed convolution with `filters` outputs and windows of `kernelSize` (one size per spatial axis).
    public init(filters: Int, kernelSize: [Int], strides: [Int]? = nil, padding: Padding = .valid, outputPadding: [Int]? = nil,
                dilationRate: [Int]? = nil, activation: ActivationFunction = .linear, useBias: Bool = true, name: String? = nil) {
        let rank = Self.spatialRank
        self.outputPadding = outputPadding.map { $0.count == 1 ? Array(repeating: $0[0], count: rank) : $0 }
        super.init(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding, dilationRate: dilationRate,
                   activation: activation, useBias: useBias, name: name)
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
        let (_, _, channels) = try Spatial.dims(inputShape, rank: Self.spatialRank, self)
        try buildWeights(kernelShape: kernelSize + [filters, channels])
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw ShapeError("\(displayName) was called before it was built") }
        let (h, w, c) = try Spatial.dims(Array(inputs.shape.dropFirst()), rank: Self.spatialRank, self)
        let (g, outHeight, outWidth) = try transposedGeometry(height: h, width: w)
        let images = inputs.reshaped(to: [inputs.shape[0], h, w, c])
        let k = kernel.value.reshaped(to: [g.kernel.0, g.kernel.1, filters, c])
        var x = Tensor.conv2dTranspose(images, k, geometry: g, outHeight: outHeight, outWidth: outWidth)
        if Self.spatialRank == 1 { x = x.reshaped(to: [x.shape[0], x.shape[2], filters]) }
        if let bias { x = x + bias.value }
        return activation(x)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let (h, w, _) = try Spatial.dims(inputShape, rank: Self.spatialRank, self)
        let (_, outHeight, outWidth) = try transposedGeometry(height: h, width: w)
        let out = try Spatial.shape(rank: Self.spatialRank, outHeight, outWidth, filters, self, input: inputShape)
        _ = try Shape.checkedElementCount(out, "\(displayName) output")
        return out
    }

    /// The output size and the convolution whose adjoint this layer computes: Keras's padding rule for JAX's
    /// `conv_transpose` (`left = span − 1` and `right = left + output_padding` for 'valid'; for 'same' a total of
    /// `stride + span − 2`, or `span + span % 2 − 2 + output_padding`, split with the larger half first but at most
    /// `span − 1`), turned into that convolution's padding before (`span − 1 − left`).
    func transposedGeometry(height: Int, width: Int) throws -> (WindowGeometry, Int, Int) {
        let rank = Self.spatialRank
        let inputs = rank == 1 ? [1, width] : [height, width]
        let kernel = rank == 1 ? [1] + kernelSize : kernelSize
        let stride = rank == 1 ? [1] + strides : strides
        let dilation = rank == 1 ? [1] + dilationRate : dilationRate
        let given: [Int?] = outputPadding.map { $0.map { Optional($0) } } ?? Array(repeating: nil, count: rank)
        let extra: [Int?] = rank == 1 ? [0] + given : given
        var sizes: [Int] = [], before: [Int] = [], after: [Int] = []
        for axis in 0..<2 {
            let span = (kernel[axis] - 1) * dilation[axis] + 1, s = stride[axis]
            let (left, right): (Int, Int)
            if padding == .same {
                let total = extra[axis].map { span + span % 2 - 2 + $0 } ?? s + span - 2
                left = Swift.min(total / 2 + total % 2, span - 1)
                right = total - left
            } else {
                left = span - 1
                right = span - 1 + (extra[axis] ?? Swift.max(span, s) - span)
            }
            let size = (inputs[axis] - 1) * s + left + right - span + 2
            guard size > 0 else {
                throw ShapeError("\(displayName): an input of \(inputs[axis]) positions gives an empty output")
            }
            sizes.append(size)
            before.append(span - 1 - left)
            after.append((inputs[axis] - 1) * s + span - size - (span - 1 - left))
        }
        let g = WindowGeometry(kernel: (kernel[0], kernel[1]), strides: (stride[0], stride[1]), dilation: (dilation[0], dilation[1]),
                               padding: (before[0], after[0], before[1], after[1]))
        return (g, sizes[0], sizes[1])
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
public final class Conv2DTranspose: ConvTranspose {
    /// A transposed 2-D convolution with `filters` outputs.
    public convenience init(_ filters: Int, kernelSize: [Int], strides: [Int]? = nil, padding: Padding = .valid,
                            outputPadding: [Int]? = nil, dilationRate: [Int]? = nil, activation: ActivationFunction = .linear,
                            useBias: Bool = true, name: String? = nil) {
        self.init(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding, outputPadding: outputPadding,
                  dilationRate: dilationRate, activation: activation, useBias: useBias, name: name)
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
