import TensorEngine

/// How a sliding window treats the border (Keras's `padding` for convolutions and pooling).
public enum Padding: String, ConfigDecodable, Sendable {
    /// No padding: windows stay inside the input.
    case valid
    /// Zero padding so that the output has `ceil(input / stride)` positions (TensorFlow's split: odd element after).
    case same
    /// Conv1D only: pad on the left so that output `t` sees inputs `≤ t`.
    case causal

    public init(configValue json: JSON) throws(ConfigValueError) {
        guard case .string(let s) = json, let p = Padding(rawValue: s.lowercased()) else {
            throw .expected("'valid', 'same' or 'causal'", found: json)
        }
        self = p
    }

    public static var placeholder: Padding { .valid }
    public static var configTypeName: String { "a padding ('valid' or 'same')" }
}

extension ConfigReader {
    /// An int or a list of `rank` ints of at least `minimum` under `key` (Keras's `kernel_size`, `strides`,
    /// `dilation_rate`, `pool_size`, `output_padding`), as `rank` values; `defaultValue` when absent.
    func windowSizes(_ key: String, rank: Int, default defaultValue: [Int]?, minimum: Int = 1) -> [Int] {
        var sizes: [Int]
        if let single = object[key]?.intValue {
            sizes = Array(repeating: single, count: rank)
        } else if let list = optional(key, as: [Int].self) {
            sizes = list
        } else if let defaultValue {
            return defaultValue
        } else {
            _ = require(key, as: [Int].self)
            return Array(repeating: 1, count: rank)
        }
        guard sizes.count == rank, sizes.allSatisfy({ $0 >= minimum && $0 <= 1 << 16 }) else {
            let kind = minimum == 1 ? "positive" : "non-negative"
            report("'\(key)' must be a \(kind) integer or a list of \(rank) \(kind) integers, found \(object[key]?.brief ?? "nothing")")
            return Array(repeating: 1, count: rank)
        }
        return sizes
    }

    /// The rows and columns added or removed by a 2-D reshaping layer (`ZeroPadding2D`'s `padding`, `Cropping2D`'s
    /// `cropping`): one int, `(rows, columns)`, or `((top, bottom), (left, right))`; each between 0 and 2¹⁶.
    func spatialAmounts(_ key: String, default defaultValue: Int) -> (top: Int, bottom: Int, left: Int, right: Int) {
        let raw = object[key] ?? .int(defaultValue)
        var amounts: [Int]?
        if let n = raw.intValue {
            amounts = [n, n, n, n]
        } else if let pair = raw.arrayValue, pair.count == 2 {
            if let r = pair[0].intValue, let c = pair[1].intValue {
                amounts = [r, r, c, c]
            } else if let rows = pair[0].arrayValue?.compactMap(\.intValue), let cols = pair[1].arrayValue?.compactMap(\.intValue),
                      rows.count == 2, cols.count == 2 {
                amounts = rows + cols
            }
        }
        guard let a = amounts else {
            report("'\(key)' must be an int, two ints or two pairs of ints, found \(raw.brief)")
            return (0, 0, 0, 0)
        }
        guard a.allSatisfy({ $0 >= 0 && $0 <= 1 << 16 }) else {
            report("'\(key)' must be between 0 and 65536, found \(raw.brief)")
            return (0, 0, 0, 0)
        }
        return (a[0], a[1], a[2], a[3])
    }

    /// Reports `data_format: channels_first`, which this package does not implement.
    func requireChannelsLast() {
        if let format = optional("data_format", as: String.self), format != "channels_last" {
            report("data_format '\(format)' is not supported (only channels_last)")
        }
    }
}

/// The JSON list Keras writes for a window size: `[3, 3]`.
func sizesJSON(_ sizes: [Int]) -> JSON { .array(sizes.map { .int($0) }) }

extension JSONObject {
    /// Appends the window keys Keras's convolutions write, in their order: `kernel_size`, `strides`, `padding`,
    /// `data_format`, `dilation_rate`.
    mutating func appendWindow(kernelSize: [Int], strides: [Int], padding: Padding, dilationRate: [Int]) {
        self["kernel_size"] = sizesJSON(kernelSize)
        self["strides"] = sizesJSON(strides)
        self["padding"] = .string(padding.rawValue)
        self["data_format"] = .string("channels_last")
        self["dilation_rate"] = sizesJSON(dilationRate)
    }
}

/// Per-sample shapes of 1-D and 2-D channels-last inputs, and the window geometry for them.
enum Spatial {
    /// `[steps, channels]` (rank 1) or `[height, width, channels]` (rank 2) → `(height, width, channels)`.
    static func dims(_ shape: [Int], rank: Int, _ layer: Layer) throws -> (Int, Int, Int) {
        guard shape.count == rank + 1 else {
            throw ShapeError("\(layer.displayName) expects inputs of rank \(rank + 2) (batch, \(rank == 1 ? "steps" : "height, width"), channels), got \(Shape.describeBatched(shape))")
        }
        return rank == 1 ? (1, shape[0], shape[1]) : (shape[0], shape[1], shape[2])
    }

    /// The geometry of a window of `kernel` (1 or 2 sizes) on an input of `height × width` with Keras's padding.
    static func geometry(kernel: [Int], strides: [Int], dilation: [Int], padding: Padding, height: Int, width: Int) -> WindowGeometry {
        let k = kernel.count == 1 ? (1, kernel[0]) : (kernel[0], kernel[1])
        let s = strides.count == 1 ? (1, strides[0]) : (strides[0], strides[1])
        let d = dilation.count == 1 ? (1, dilation[0]) : (dilation[0], dilation[1])
        var g = WindowGeometry(kernel: k, strides: s, dilation: d)
        switch padding {
        case .valid: break
        case .same:
            let rows = WindowGeometry.samePadding(input: height, kernelSpan: g.span.0, stride: s.0)
            let cols = WindowGeometry.samePadding(input: width, kernelSpan: g.span.1, stride: s.1)
            g.padding = (rows.before, rows.after, cols.before, cols.after)
        case .causal:
            g.padding = (0, 0, g.span.1 - 1, 0)
        }
        return g
    }

    /// The per-sample output shape for an output of `oh × ow × channels` (rank 1 drops the unit height).
    static func shape(rank: Int, _ oh: Int, _ ow: Int, _ channels: Int, _ layer: Layer, input: [Int]) throws -> [Int] {
        guard oh > 0, ow > 0 else {
            throw ShapeError("\(layer.displayName): the window does not fit in inputs of shape \(Shape.describeBatched(input))")
        }
        return rank == 1 ? [ow, channels] : [oh, ow, channels]
    }
}
