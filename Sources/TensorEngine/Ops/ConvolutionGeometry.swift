/// The index arithmetic of a sliding window over channels-last inputs (`[batch, *spatial, channels]`) with one,
/// two or three spatial axes, shared by convolution, transposed convolution and pooling.
public struct WindowGeometry: Equatable, Sendable {
    /// Window size, one per spatial axis.
    public var kernel: [Int]
    /// Step between windows, per axis.
    public var strides: [Int]
    /// Spacing between the taps of a window (1 = contiguous), per axis.
    public var dilation: [Int]
    /// Zeros before the input, per axis.
    public var padBefore: [Int]
    /// Zeros after the input, per axis.
    public var padAfter: [Int]

    /// A window of `kernel` taps moving by `strides` (default 1), with `dilation` between taps (default 1) and
    /// explicit zero padding before and after each axis (default none).
    public init(kernel: [Int], strides: [Int]? = nil, dilation: [Int]? = nil, padBefore: [Int]? = nil, padAfter: [Int]? = nil) {
        let ones = Array(repeating: 1, count: kernel.count), zeros = Array(repeating: 0, count: kernel.count)
        self.kernel = kernel
        self.strides = strides ?? ones
        self.dilation = dilation ?? ones
        self.padBefore = padBefore ?? zeros
        self.padAfter = padAfter ?? zeros
        precondition([self.strides, self.dilation, self.padBefore, self.padAfter].allSatisfy { $0.count == kernel.count },
                     "WindowGeometry: every setting needs one value per spatial axis (\(kernel.count))")
    }

    /// The number of spatial axes.
    public var rank: Int { kernel.count }

    /// The extent of one window, taps and gaps included, per axis.
    public var span: [Int] { (0..<rank).map { (kernel[$0] - 1) * dilation[$0] + 1 } }

    /// The output size for an input of `input` positions per axis; zero on an axis where the window does not fit.
    public func outputSize(_ input: [Int]) -> [Int] {
        precondition(input.count == rank, "WindowGeometry of rank \(rank) applied to spatial size \(input)")
        return (0..<rank).map { axis in
            let room = input[axis] + padBefore[axis] + padAfter[axis] - span[axis]
            return room < 0 ? 0 : room / strides[axis] + 1
        }
    }

    /// TensorFlow's (and Keras's) "same" padding for one axis: the output has `ceil(input / stride)` positions and
    /// the padding is split with the odd element after.
    public static func samePadding(input: Int, kernelSpan: Int, stride: Int) -> (before: Int, after: Int) {
        let out = (input + stride - 1) / stride
        let total = Swift.max((out - 1) * stride + kernelSpan - input, 0)
        return (total / 2, total - total / 2)
    }
}

/// A window geometry and its input seen as a volume of three spatial axes (depth, height, width): 1-D and 2-D
/// inputs get leading axes of size 1 with a one-tap window, so one loop nest serves every rank.
struct Volume {
    let n: Int, c: Int
    /// Input and output sizes (depth, height, width).
    let input: [Int], output: [Int]
    /// The window's settings, three axes each.
    let kernel: [Int], strides: [Int], dilation: [Int], padBefore: [Int]

    /// `shape` is `[batch, *spatial, channels]` with as many spatial axes as `g` has.
    init(shape: [Int], geometry g: WindowGeometry) {
        precondition(shape.count == g.rank + 2 && g.rank <= 3, "a window of rank \(g.rank) does not fit inputs of shape \(shape)")
        let lead = Array(repeating: 1, count: 3 - g.rank), zero = Array(repeating: 0, count: 3 - g.rank)
        let spatial = Array(shape[1..<(shape.count - 1)])
        n = shape[0]
        c = shape[shape.count - 1]
        input = lead + spatial
        output = lead + g.outputSize(spatial)
        kernel = lead + g.kernel
        strides = lead + g.strides
        dilation = lead + g.dilation
        padBefore = zero + g.padBefore
    }

    /// Output positions per image.
    var outputsPerImage: Int { output[0] * output[1] * output[2] }
    /// Taps per window.
    var taps: Int { kernel[0] * kernel[1] * kernel[2] }
    /// Input positions per image.
    var inputsPerImage: Int { input[0] * input[1] * input[2] }

    /// Calls `body(row, tap, input)` for every tap of every window of image `b`: `row` is the window's flat output
    /// position, `tap` its index in `(kd, kh, kw)` order, `input` the flat input position it reads (or -1 in the
    /// padding).
    @inline(__always)
    func forEachTap(image b: Int, _ body: (_ row: Int, _ tap: Int, _ input: Int) -> Void) {
        let (d, h, w) = (input[0], input[1], input[2])
        let (od, oh, ow) = (output[0], output[1], output[2])
        let (kd, kh, kw) = (kernel[0], kernel[1], kernel[2])
        let (sz, sy, sx) = (strides[0], strides[1], strides[2])
        let (pz, py, px) = (padBefore[0], padBefore[1], padBefore[2])
        let (dz, dy, dx) = (dilation[0], dilation[1], dilation[2])
        for oz in 0..<od {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let row = ((b * od + oz) * oh + oy) * ow + ox
                    var tap = 0
                    for kz in 0..<kd {
                        let iz = oz * sz - pz + kz * dz
                        for ky in 0..<kh {
                            let iy = oy * sy - py + ky * dy
                            for kx in 0..<kw {
                                let ix = ox * sx - px + kx * dx
                                let inside = iz >= 0 && iz < d && iy >= 0 && iy < h && ix >= 0 && ix < w
                                body(row, tap, inside ? ((b * d + iz) * h + iy) * w + ix : -1)
                                tap += 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// `forEachTap` over every image of the batch, images spread over the cores (each image's rows, and the input
    /// positions its windows read, belong to it alone). `work` is the cost per output position.
    @inline(__always)
    func forEveryTap(work: Int, _ body: (_ row: Int, _ tap: Int, _ input: Int) -> Void) {
        Parallel.forEachChunk(n, grain: Swift.max(1, Parallel.grain / Swift.max(outputsPerImage * work, 1))) { images in
            for b in images { forEachTap(image: b, body) }
        }
    }
}
