import TensorEngine

/// Keras's `RandomFlip`: in training, flips each image with probability ½ — left to right (`horizontal`), top to
/// bottom (`vertical`), or, for `horizontal_and_vertical`, both at once on the same draw (as Keras does). The
/// identity at inference.
public final class RandomFlip: ImagePreprocessingLayer {
    /// Which axes a flip reverses.
    public enum Mode: String, CaseIterable, Sendable {
        /// Left and right swapped.
        case horizontal
        /// Top and bottom swapped.
        case vertical
        /// Both, with one draw deciding for both axes (as Keras draws it).
        case horizontalAndVertical = "horizontal_and_vertical"
    }

    /// Which axes are flipped.
    public let mode: Mode

    /// A layer flipping channels-last images according to `mode`.
    public init(mode: Mode = .horizontalAndVertical, seed: Int? = nil, dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        self.mode = mode
        super.init(dataFormat: dataFormat, seed: seed, name: name)
    }

    public required init(from config: ConfigReader) throws {
        let name = config.value("mode", default: Mode.horizontalAndVertical.rawValue)
        mode = Mode(rawValue: name) ?? .horizontalAndVertical
        if Mode(rawValue: name) == nil { config.report("mode must be one of \(Mode.allCases.map(\.rawValue).joined(separator: ", ")), found '\(name)'") }
        try super.init(from: config)
    }

    /// Draws whether each of `count` images is flipped (Keras's `uniform() <= 0.5`).
    public func drawFlips(_ count: Int) -> [Bool] { uniform(count, 0, 1).map { $0 <= 0.5 } }

    /// Flips the images whose entry of `flips` is true.
    public func flip(_ images: Tensor, _ flips: [Bool]) throws -> Tensor {
        _ = try imageSize(images)
        let axes = dataFormat.spatialAxes
        var flipped = images
        if mode != .vertical { flipped = flipped.reversed(alongAxis: axes.width) }
        if mode != .horizontal { flipped = flipped.reversed(alongAxis: axes.height) }
        // `where(flip, flipped, images)` as a blend of exact 0/1 weights.
        let chosen = Tensor(shape: [flips.count, 1, 1, 1], scalars: flips.map { $0 ? 1 : 0 })
        return flipped * chosen + images * (Tensor(1) - chosen)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard training else { return inputs }
        return try flip(inputs, drawFlips(inputs.shape.first ?? 0))
    }

    public override func config() -> JSONObject {
        var c = super.config()
        c["mode"] = .string(mode.rawValue)
        return c
    }
}
