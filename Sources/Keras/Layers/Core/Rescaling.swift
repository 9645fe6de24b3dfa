import TensorEngine

/// Keras's `Rescaling`: `inputs · scale + offset`. `scale` and `offset` are numbers (the usual `1/255`) or arrays
/// that broadcast against the inputs from the last axis (a list such as `[0.5, 2, 1]` per channel, or a NumPy
/// array, which Keras writes as a `__numpy__` object).
public final class Rescaling: Layer {
    /// The factor, shape `[]` for a number.
    public let scale: Tensor
    /// The shift, shape `[]` for a number.
    public let offset: Tensor
    /// The config values as written, so that a list or a NumPy array is saved back in the same form.
    private let scaleJSON: JSON
    private let offsetJSON: JSON

    /// Passes a mask on unchanged, as Keras's does (`supports_masking`).
    public override var supportsMasking: Bool { true }

    /// A rescaling by the number `scale`, then a shift by `offset`.
    public init(scale: Double, offset: Double = 0, name: String? = nil) {
        self.scale = Tensor(Float(scale))
        self.offset = Tensor(Float(offset))
        scaleJSON = .double(scale)
        offsetJSON = .double(offset)
        super.init(name: name)
    }

    /// A rescaling by per-channel (last axis) factors and shifts, saved as lists; `offset` may also be one value.
    public init(scales: [Double], offsets: [Double] = [0], name: String? = nil) {
        scale = Tensor(shape: [scales.count], scalars: scales.map { Float($0) })
        offset = Tensor(shape: [offsets.count], scalars: offsets.map { Float($0) })
        scaleJSON = .array(scales.map { .double($0) })
        offsetJSON = offsets.count == 1 ? .double(offsets[0]) : .array(offsets.map { .double($0) })
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        scaleJSON = config.object["scale"] ?? .null
        offsetJSON = config.object["offset"].flatMap { $0 == .null ? nil : $0 } ?? .double(0)
        if scaleJSON == .null {
            config.report("config key 'scale' is missing (expected a number or a list of numbers)")
            scale = Tensor(1)
        } else {
            scale = Self.tensor(scaleJSON, key: "scale", config) ?? Tensor(1)
        }
        offset = Self.tensor(offsetJSON, key: "offset", config) ?? Tensor(0)
        try super.init(from: config)
    }

    /// The tensor a config value stands for: a number, a rectangular nested list of numbers, or Keras's
    /// `{"class_name": "__numpy__", "config": {"value": …, "dtype": …}}`. Problems are reported to `config`.
    static func tensor(_ json: JSON, key: String, _ config: ConfigReader) -> Tensor? {
        var value = json
        if json["class_name"]?.stringValue == "__numpy__", let inner = json["config"]?["value"] { value = inner }
        if let number = value.doubleValue { return Tensor(Float(number)) }
        var shape: [Int] = []
        var scalars: [Float] = []
        func walk(_ node: JSON, depth: Int) -> Bool {
            if let number = node.doubleValue {
                guard depth == shape.count else { return false }
                scalars.append(Float(number))
                return true
            }
            guard let items = node.arrayValue, depth <= 32 else { return false }
            if depth == shape.count { shape.append(items.count) } else if depth > shape.count || shape[depth] != items.count { return false }
            return items.allSatisfy { walk($0, depth: depth + 1) }
        }
        guard value.arrayValue != nil, walk(value, depth: 0), scalars.count == shape.elementCount else {
            config.report("config key '\(key)' must be a number or a rectangular list of numbers, found \(json.typeName)")
            return nil
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// Whether `operand` broadcasts against a batch of `shape` without changing it (NumPy rules, last axes aligned).
    private static func fits(_ operand: [Int], _ shape: [Int]) -> Bool {
        operand.count <= shape.count && zip(operand.reversed(), shape.reversed()).allSatisfy { $0 == 1 || $0 == $1 }
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        _ = try outputShape(forInputShape: Array(inputs.shape.dropFirst()))
        return inputs * scale + offset
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        let batched = [1] + inputShape
        guard Self.fits(scale.shape, batched), Self.fits(offset.shape, batched) else {
            throw ShapeError("\(displayName): scale of shape \(scale.shape) and offset of shape \(offset.shape) do not broadcast against inputs of shape \(Shape.describeBatched(inputShape))")
        }
        return inputShape
    }

    public override func config() -> JSONObject { ["scale": scaleJSON, "offset": offsetJSON] }
}
