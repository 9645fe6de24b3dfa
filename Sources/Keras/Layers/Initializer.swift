import TensorEngine

/// A Keras weight initializer: the class and arguments Keras knows, with Keras's formulas
/// (keras/src/initializers). Values are drawn from this package's own RNG, so seeded results follow Keras's
/// distributions but not JAX's exact numbers.
public enum Initializer: Sendable, Equatable {
    /// All zeros (Keras's `Zeros`).
    case zeros
    /// All ones (Keras's `Ones`).
    case ones
    /// Every value `value` (Keras's `Constant`).
    case constant(value: Double)
    /// `gain` times the identity matrix (Keras's `Identity`; 2-D weights only).
    case identity(gain: Double)
    /// Normal draws (Keras's `RandomNormal`).
    case randomNormal(mean: Double, stddev: Double, seed: Int?)
    /// Uniform draws in `[minval, maxval)` (Keras's `RandomUniform`).
    case randomUniform(minval: Double, maxval: Double, seed: Int?)
    /// Normal draws redrawn beyond two standard deviations (Keras's `TruncatedNormal`).
    case truncatedNormal(mean: Double, stddev: Double, seed: Int?)
    /// Draws scaled to the weight's fan-in, fan-out or their mean (Keras's `VarianceScaling`).
    case varianceScaling(scale: Double, mode: InitializerMath.FanMode, distribution: InitializerMath.Distribution, seed: Int?)
    /// A (semi-)orthogonal matrix times `gain`, from the QR decomposition of normal draws (Keras's `Orthogonal`).
    case orthogonal(gain: Double, seed: Int?)
    /// A named preset of `varianceScaling` (GlorotUniform, HeNormal …), kept by name so it saves under its class.
    case preset(VarianceScalingPreset, seed: Int?)

    /// The VarianceScaling presets Keras exports under their own class names.
    public enum VarianceScalingPreset: String, CaseIterable, Sendable {
        /// Truncated normal, scale 1, fan average.
        case glorotNormal = "GlorotNormal"
        /// Uniform, scale 1, fan average (Keras's default kernel initializer).
        case glorotUniform = "GlorotUniform"
        /// Truncated normal, scale 2, fan-in.
        case heNormal = "HeNormal"
        /// Uniform, scale 2, fan-in.
        case heUniform = "HeUniform"
        /// Truncated normal, scale 1, fan-in.
        case lecunNormal = "LecunNormal"
        /// Uniform, scale 1, fan-in.
        case lecunUniform = "LecunUniform"

        /// (scale, mode, distribution) as in Keras's constructors.
        var parameters: (Double, InitializerMath.FanMode, InitializerMath.Distribution) {
            switch self {
            case .glorotNormal: return (1, .fanAvg, .truncatedNormal)
            case .glorotUniform: return (1, .fanAvg, .uniform)
            case .heNormal: return (2, .fanIn, .truncatedNormal)
            case .heUniform: return (2, .fanIn, .uniform)
            case .lecunNormal: return (1, .fanIn, .truncatedNormal)
            case .lecunUniform: return (1, .fanIn, .uniform)
            }
        }
    }

    /// Keras's default Dense kernel initializer.
    public static let glorotUniform = Initializer.preset(.glorotUniform, seed: nil)
    /// The Antirectifier's default initializer.
    public static let heNormal = Initializer.preset(.heNormal, seed: nil)

    /// Draws a tensor of `shape`. Unseeded initializers use `rng`; a seeded one uses its own seed.
    public func callAsFunction(_ shape: [Int], rng: inout RandomGenerator) throws -> Tensor {
        var seeded = seed.map { RandomGenerator(seed: UInt64(bitPattern: Int64($0))) }
        func draw(_ body: (inout RandomGenerator) -> Tensor) -> Tensor {
            if seeded != nil { return body(&seeded!) }
            return body(&rng)
        }
        let n = shape.elementCount
        switch self {
        case .zeros: return .zeros(shape)
        case .ones: return .ones(shape)
        case .constant(let v): return Tensor(repeating: Float(v), shape: shape)
        case .identity(let gain):
            guard shape.count == 2 else {
                throw ShapeError("Identity initializer can only be used for 2D matrices, got shape \(shape)")
            }
            var t = Tensor.zeros(shape)
            for i in 0..<min(shape[0], shape[1]) { t = t.settingScalar(Float(gain), at: i * shape[1] + i) }
            return t
        case .randomNormal(let mean, let stddev, _):
            return draw { Tensor(shape: shape, scalars: $0.normal(count: n, mean: Float(mean), stddev: Float(stddev))) }
        case .randomUniform(let low, let high, _):
            return draw { Tensor(shape: shape, scalars: $0.uniform(count: n, low: Float(low), high: Float(high))) }
        case .truncatedNormal(let mean, let stddev, _):
            return draw { Tensor(shape: shape, scalars: $0.truncatedNormal(count: n, mean: Float(mean), stddev: Float(stddev))) }
        case .varianceScaling(let scale, let mode, let distribution, _):
            return draw { InitializerMath.varianceScaling(shape: shape, scale: scale, mode: mode, distribution: distribution, using: &$0) }
        case .preset(let preset, _):
            let (scale, mode, distribution) = preset.parameters
            return draw { InitializerMath.varianceScaling(shape: shape, scale: scale, mode: mode, distribution: distribution, using: &$0) }
        case .orthogonal(let gain, _):
            guard shape.count >= 2 else {
                throw ShapeError("Orthogonal initializer needs a tensor of rank 2 or more, got shape \(shape)")
            }
            return draw { InitializerMath.orthogonal(shape: shape, gain: Float(gain), using: &$0) }
        }
    }

    /// The seed, for random initializers that have one.
    public var seed: Int? {
        switch self {
        case .zeros, .ones, .constant, .identity: return nil
        case .randomNormal(_, _, let s), .randomUniform(_, _, let s), .truncatedNormal(_, _, let s),
             .varianceScaling(_, _, _, let s), .orthogonal(_, let s), .preset(_, let s): return s
        }
    }
}

extension Tensor {
    /// A copy with one element replaced (used to build small constant tensors).
    func settingScalar(_ value: Float, at index: Int) -> Tensor {
        var copy = scalars
        copy[index] = value
        return Tensor(shape: shape, scalars: copy)
    }
}
