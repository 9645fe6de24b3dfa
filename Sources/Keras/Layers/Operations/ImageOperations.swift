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
        let format: ImageDataFormat = config.value("data_format", default: .channelsLast)
        if padding == .causal { config.report("padding must be 'valid' or 'same', found 'causal'") }
        return { x in
            guard x.rank == 4 else { throw ShapeError("\(what) needs a batch of images (rank 4), got shape \(x.shape)") }
            let images = format == .channelsFirst ? x.transposed([0, 2, 3, 1]) : x
            var g = WindowGeometry(kernel: (size[0], size[1]), strides: (strides[0], strides[1]), dilation: (dilation[0], dilation[1]))
            if padding == .same {
                let rows = WindowGeometry.samePadding(input: images.shape[1], kernelSpan: g.span.0, stride: g.strides.0)
                let columns = WindowGeometry.samePadding(input: images.shape[2], kernelSpan: g.span.1, stride: g.strides.1)
                g.padding = (rows.before, rows.after, columns.before, columns.after)
            }
            let (oh, ow) = g.outputSize(height: images.shape[1], width: images.shape[2])
            guard oh > 0, ow > 0 else { throw ShapeError("\(what): patches of \(size) do not fit images of shape \(x.shape)") }
            let patches = Tensor.extractPatches(images, geometry: g)
            return format == .channelsFirst ? patches.transposed([0, 3, 1, 2]) : patches
        }
    }
}
