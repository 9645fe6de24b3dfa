import TensorEngine

/// The `keras.ops.image` functions a Functional graph can record (`"module": "keras.src.ops.image"`):
/// `Resize` (`ops.image.resize`) and `ExtractPatches` (`ops.image.extract_patches`, 2-D patches).
extension KerasOperation {
    static let imageOperations: [String: Builder] = [
        "Resize": { op in
            let size = op.reader.require("size", as: [Int].self)
            guard size.count == 2 else { throw ConfigError(issues: ["\(op.what): size must be (height, width), found \(size)"]) }
            let resizing = ImageResizing(height: size[0], width: size[1], op.reader)
            return op.unary { x in
                _ = try resizing.outputShape(Array(x.shape.dropFirst()), op.what)
                return resizing(x)
            }
        },
        "ExtractPatches": { op in op.unary(try patchExtraction(op.reader, what: op.what)) },
    ]

    /// `ExtractPatches`: Keras's convolution with an identity kernel, as a gather of every window.
    private static func patchExtraction(_ config: ConfigReader, what: String) throws -> (Tensor) throws -> Tensor {
        if let size = config.object["size"]?.arrayValue, size.count == 3 {
            throw ConfigError(issues: ["\(what): 3-D patches (size \(JSON.array(size).brief)) are not supported"])
        }
        let size = config.windowSizes("size", rank: 2, default: nil)
        let strides = config.windowSizes("strides", rank: 2, default: size)
        let dilation = config.windowSizes("dilation_rate", rank: 2, default: [1, 1])
        let padding: Padding = config.value("padding", default: .valid)
        let format: DataFormat = config.value("data_format", default: .channelsLast)
        if padding == .causal { config.report("padding must be 'valid' or 'same', found 'causal'") }
        return { x in
            guard x.rank == 4 else { throw ShapeError("\(what) needs a batch of images (rank 4), got shape \(x.shape)") }
            let images = format == .channelsFirst ? x.transposed([0, 2, 3, 1]) : x
            var g = WindowGeometry(kernel: size, strides: strides, dilation: dilation)
            if padding == .same {
                let amounts = (0..<2).map { WindowGeometry.samePadding(input: images.shape[$0 + 1], kernelSpan: g.span[$0], stride: g.strides[$0]) }
                (g.padBefore, g.padAfter) = (amounts.map(\.before), amounts.map(\.after))
            }
            guard g.outputSize(Array(images.shape[1...2])).allSatisfy({ $0 > 0 }) else {
                throw ShapeError("\(what): patches of \(size) do not fit images of shape \(x.shape)")
            }
            let patches = Tensor.extractPatches(images, geometry: g)
            return format == .channelsFirst ? patches.transposed([0, 3, 1, 2]) : patches
        }
    }
}
