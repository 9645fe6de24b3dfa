import Foundation
import TensorEngine

/// Keras's `RandomRotation`: in training, rotates each image about its centre by an angle drawn uniformly from
/// `factor · 360°` (positive: counter-clockwise), filling the corners by `fill_mode`. The identity at inference.
public final class RandomRotation: ImagePreprocessingLayer {
    /// The range of the angle, in turns (`0.2` draws from ±72°).
    public let factor: FactorRange
    let options: AffineOptions

    /// A layer rotating channels-last images by up to `factor` turns either way.
    public init(factor: Double, fillMode: FillMode = .reflect, interpolation: SamplingInterpolation = .bilinear,
                fillValue: Float = 0, seed: Int? = nil, dataFormat: DataFormat = .channelsLast, name: String? = nil) {
        self.factor = FactorRange(-Swift.abs(factor), Swift.abs(factor))
        options = AffineOptions(fillMode: fillMode, fillValue: fillValue, interpolation: interpolation)
        super.init(dataFormat: dataFormat, seed: seed, name: name)
    }

    public required init(from config: ConfigReader) throws {
        factor = FactorRange.base(config.object["factor"], bounds: -1...1, config)
        options = AffineOptions(config)
        try super.init(from: config)
    }

    /// Draws `count` angles in degrees.
    public func drawAngles(_ count: Int) -> [Float] { uniform(count, factor.lower * 360, factor.upper * 360) }

    /// Rotates each image by its angle (degrees, counter-clockwise).
    public func rotate(_ images: Tensor, degrees: [Float]) throws -> Tensor {
        let (h, w) = try imageSize(images)
        return affineTransform(images, degrees.map { Self.rotationMap(degrees: $0, height: h, width: w) }, options)
    }

    /// Keras's `_compute_affine_matrix` for a rotation about the image centre (no shear, scale 1, no
    /// translation), in float32.
    static func rotationMap(degrees: Float, height: Int, width: Int) -> AffineMap {
        let angle = degrees * Float(Double.pi / 180)
        let (cx, cy) = (0.5 * Float(width - 1), 0.5 * Float(height - 1))
        let (cosine, sine) = (Foundation.cos(angle), Foundation.sin(angle))
        let (a0, a1, b0, b1) = (cosine + 0 * sine, -sine + 0 * cosine, 0 * cosine + sine, 0 * -sine + cosine)
        return AffineMap(a0: a0, a1: a1, a2: (0 + cx - cx * a0) - cy * a1, b0: b0, b1: b1, b2: (0 + cy - cx * b0) - cy * b1)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard training else { return inputs }
        return try rotate(inputs, degrees: drawAngles(inputs.shape.first ?? 0))
    }

    public override func config() -> JSONObject {
        var c = super.config()
        c["factor"] = factor.json
        for (key, value) in options.json { c[key] = value }
        return c
    }
}
