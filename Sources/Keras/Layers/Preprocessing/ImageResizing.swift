import TensorEngine

/// Keras's `image.resize` (JAX backend), shared by the `Resizing` layer, the `keras.ops.image.resize` operation,
/// `CenterCrop` and `RandomCrop`: optionally crop (`crop_to_aspect_ratio`) or pad (`pad_to_aspect_ratio`) the
/// images to the target's aspect ratio around their centre, then `jax.image.resize`.
struct ImageResizing {
    var height: Int
    var width: Int
    var interpolation: ResizeInterpolation = .bilinear
    var antialias = false
    var cropToAspectRatio = false
    var padToAspectRatio = false
    var fillValue: Float = 0
    var dataFormat: DataFormat = .channelsLast

    /// Reads `interpolation`, `antialias`, `crop_to_aspect_ratio`, `pad_to_aspect_ratio`, `fill_mode`, `fill_value`
    /// and `data_format` (the size is read by the caller).
    init(height: Int, width: Int, _ config: ConfigReader) {
        self.height = height
        self.width = width
        let name = config.value("interpolation", default: "bilinear")
        interpolation = ResizeInterpolation(rawValue: name) ?? .bilinear
        if ResizeInterpolation(rawValue: name) == nil {
            config.report("interpolation must be one of \(ResizeInterpolation.allCases.map(\.rawValue).joined(separator: ", ")), found '\(name)'")
        }
        antialias = config.value("antialias", default: false)
        cropToAspectRatio = config.value("crop_to_aspect_ratio", default: false)
        padToAspectRatio = config.value("pad_to_aspect_ratio", default: false)
        if cropToAspectRatio && padToAspectRatio { config.report("only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be true") }
        let fillMode = config.value("fill_mode", default: "constant")
        if fillMode != "constant" { config.report("fill_mode must be 'constant' (the only one Keras supports), found '\(fillMode)'") }
        fillValue = config.value("fill_value", default: Float(0))
        dataFormat = config.value("data_format", default: .channelsLast)
        if height <= 0 || width <= 0 { config.report("the target size must be positive, found \(height)×\(width)") }
    }

    init(height: Int, width: Int, interpolation: ResizeInterpolation = .bilinear, cropToAspectRatio: Bool = false,
         dataFormat: DataFormat = .channelsLast) {
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.cropToAspectRatio = cropToAspectRatio
        self.dataFormat = dataFormat
    }

    /// The keys read by `init(height:width:_:)`, in Keras's order, without `data_format`.
    var json: JSONObject {
        ["interpolation": .string(interpolation.rawValue), "crop_to_aspect_ratio": .bool(cropToAspectRatio),
         "pad_to_aspect_ratio": .bool(padToAspectRatio), "fill_mode": .string("constant"),
         "fill_value": .double(Double(fillValue)), "antialias": .bool(antialias)]
    }

    /// Resizes a batch of images.
    func callAsFunction(_ images: Tensor) -> Tensor {
        let (hAxis, wAxis) = dataFormat.spatialAxes
        let (h, w) = (images.shape[hAxis], images.shape[wAxis])
        var x = images
        if cropToAspectRatio {
            let crop = Self.centralCrop(height: h, width: w, toAspectOf: height, width)
            x = x.slice(alongAxis: hAxis, from: crop.top, count: crop.height).slice(alongAxis: wAxis, from: crop.left, count: crop.width)
        } else if padToAspectRatio {
            // Keras pads the same amount on both sides of the short side (so an odd difference loses a row).
            let padHeight = Swift.max(h, Int(Double(w * height) / Double(width)))
            let padWidth = Swift.max(w, Int(Double(h * width) / Double(height)))
            let (top, left) = (Int(Double(padHeight - h) / 2), Int(Double(padWidth - w) / 2))
            if top > 0 || left > 0 {
                let axis = top > 0 ? hAxis : wAxis
                var bandShape = x.shape
                bandShape[axis] = top > 0 ? top : left
                let band = Tensor(repeating: fillValue, shape: bandShape)
                x = Tensor.concatenate([band, x, band], alongAxis: axis)
            }
        }
        return x.resizedImages(height: height, width: width, interpolation: interpolation, antialias: antialias,
                               channelsFirst: dataFormat == .channelsFirst)
    }

    /// The largest window of an `h × w` image with the aspect ratio of `targetHeight × targetWidth`, centred
    /// (Keras's `crop_to_aspect_ratio` and `smart_resize`).
    static func centralCrop(height h: Int, width w: Int, toAspectOf targetHeight: Int, _ targetWidth: Int)
        -> (top: Int, left: Int, height: Int, width: Int) {
        let cropHeight = Swift.max(Swift.min(h, Int(Double(w * targetHeight) / Double(targetWidth))), 1)
        let cropWidth = Swift.max(Swift.min(w, Int(Double(h * targetWidth) / Double(targetHeight))), 1)
        return (Int(Double(h - cropHeight) / 2), Int(Double(w - cropWidth) / 2), cropHeight, cropWidth)
    }

    /// The per-sample output shape for a per-sample input shape of rank 3.
    func outputShape(_ sampleShape: [Int], _ what: String) throws -> [Int] {
        guard sampleShape.count == 3 else {
            throw ShapeError("\(what) needs images of rank 3 per sample (\(dataFormat.rawValue)), got \(Shape.describeBatched(sampleShape))")
        }
        return dataFormat.replacingSpatialSize(of: sampleShape, height: height, width: width)
    }
}
