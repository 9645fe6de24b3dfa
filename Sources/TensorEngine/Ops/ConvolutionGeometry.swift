/// The index arithmetic of a 2-D sliding window over channels-last images (`[batch, height, width, channels]`),
/// shared by convolution and pooling. 1-D windows are 2-D windows of height 1.
public struct WindowGeometry: Equatable, Sendable {
    /// Window size (rows, columns).
    public var kernel: (Int, Int)
    /// Step between windows.
    public var strides: (Int, Int)
    /// Spacing between the taps of a window (1 = contiguous).
    public var dilation: (Int, Int)
    /// Zero rows above / below and columns left / right of the input.
    public var padding: (top: Int, bottom: Int, left: Int, right: Int)

    /// A window of `kernel` taps moving by `strides`, with `dilation` between taps and explicit `padding`.
    public init(kernel: (Int, Int), strides: (Int, Int) = (1, 1), dilation: (Int, Int) = (1, 1),
                padding: (top: Int, bottom: Int, left: Int, right: Int) = (0, 0, 0, 0)) {
        self.kernel = kernel
        self.strides = strides
        self.dilation = dilation
        self.padding = padding
    }

    /// The extent of one window, taps and gaps included.
    public var span: (Int, Int) { ((kernel.0 - 1) * dilation.0 + 1, (kernel.1 - 1) * dilation.1 + 1) }

    /// The output size for an input of `height × width`; negative or zero when the window does not fit.
    public func outputSize(height: Int, width: Int) -> (Int, Int) {
        let h = height + padding.top + padding.bottom - span.0
        let w = width + padding.left + padding.right - span.1
        return (h < 0 ? 0 : h / strides.0 + 1, w < 0 ? 0 : w / strides.1 + 1)
    }

    /// TensorFlow's (and Keras's) "same" padding for one axis: the output has `ceil(input / stride)` positions and
    /// the padding is split with the odd element after.
    public static func samePadding(input: Int, kernelSpan: Int, stride: Int) -> (before: Int, after: Int) {
        let out = (input + stride - 1) / stride
        let total = Swift.max((out - 1) * stride + kernelSpan - input, 0)
        return (total / 2, total - total / 2)
    }

    public static func == (a: WindowGeometry, b: WindowGeometry) -> Bool {
        a.kernel == b.kernel && a.strides == b.strides && a.dilation == b.dilation && a.padding == b.padding
    }
}
