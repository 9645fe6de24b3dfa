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

    /// The positions added or removed by a 2-D or 3-D reshaping layer (`ZeroPadding2D/3D`'s `padding`,
    /// `Cropping2D/3D`'s `cropping`): one int, one int per spatial axis, or one `(before, after)` pair per axis;
    /// each between 0 and 2¹⁶. Returns the amounts before and after each axis.
    func spatialAmounts(_ key: String, rank: Int, default defaultValue: Int) -> (before: [Int], after: [Int]) {
        let raw = object[key] ?? .int(defaultValue)
        var pairs: [[Int]]?
        if let n = raw.intValue {
            pairs = Array(repeating: [n, n], count: rank)
        } else if let list = raw.arrayValue, list.count == rank {
            let ints = list.compactMap(\.intValue)
            let nested = list.compactMap { $0.arrayValue?.compactMap(\.intValue) }
            if ints.count == rank {
                pairs = ints.map { [$0, $0] }
            } else if nested.count == rank, nested.allSatisfy({ $0.count == 2 }) {
                pairs = nested
            }
        }
        guard let p = pairs else {
            report("'\(key)' must be an int, \(rank) ints or \(rank) pairs of ints, found \(raw.brief)")
            return (Array(repeating: 0, count: rank), Array(repeating: 0, count: rank))
        }
        guard p.joined().allSatisfy({ $0 >= 0 && $0 <= 1 << 16 }) else {
            report("'\(key)' must be between 0 and 65536, found \(raw.brief)")
            return (Array(repeating: 0, count: rank), Array(repeating: 0, count: rank))
        }
        return (p.map { $0[0] }, p.map { $0[1] })
    }

    /// Keras's `data_format` (channels_last when absent).
    func dataFormat() -> DataFormat { value("data_format", default: .channelsLast) }

    /// Reports `data_format: channels_first`, which this layer does not implement.
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
    mutating func appendWindow(kernelSize: [Int], strides: [Int], padding: Padding, dataFormat: DataFormat = .channelsLast,
                               dilationRate: [Int]) {
        self["kernel_size"] = sizesJSON(kernelSize)
        self["strides"] = sizesJSON(strides)
        self["padding"] = .string(padding.rawValue)
        self["data_format"] = dataFormat.json
        self["dilation_rate"] = sizesJSON(dilationRate)
    }
}

/// Keras's `data_format`: where the channels axis of an image-like input lies.
public enum DataFormat: String, ConfigDecodable, Sendable {
    /// `[batch, *spatial, channels]` (Keras's default).
    case channelsLast = "channels_last"
    /// `[batch, channels, *spatial]`.
    case channelsFirst = "channels_first"

    public init(configValue json: JSON) throws(ConfigValueError) {
        guard case .string(let s) = json, let f = DataFormat(rawValue: s.lowercased()) else {
            throw .expected("'channels_last' or 'channels_first'", found: json)
        }
        self = f
    }

    public static var placeholder: DataFormat { .channelsLast }
    public static var configTypeName: String { "a data format ('channels_last' or 'channels_first')" }

    /// The JSON Keras writes for it.
    var json: JSON { .string(rawValue) }
}

/// Per-sample shapes of 1-D, 2-D and 3-D inputs in either data format, the window geometry for them, and the
/// moves between a data format and the channels-last layout the engine's ops compute in.
enum Spatial {
    /// `[*spatial, channels]` (or `[channels, *spatial]`) of `rank` spatial axes → (spatial sizes, channels).
    static func dims(_ shape: [Int], rank: Int, _ layer: Layer, format: DataFormat = .channelsLast) throws -> (spatial: [Int], channels: Int) {
        guard shape.count == rank + 1 else {
            let axes = ["steps", "height, width", "depth, height, width"][rank - 1]
            let layout = format == .channelsLast ? "batch, \(axes), channels" : "batch, channels, \(axes)"
            throw ShapeError("\(layer.displayName) expects inputs of rank \(rank + 2) (\(layout)), got \(Shape.describeBatched(shape))")
        }
        return format == .channelsLast ? (Array(shape.dropLast()), shape[rank]) : (Array(shape.dropFirst()), shape[0])
    }

    /// The geometry of a window of `kernel` (one size per spatial axis) on an input of `input` positions per axis,
    /// with Keras's padding.
    static func geometry(kernel: [Int], strides: [Int], dilation: [Int]? = nil, padding: Padding, input: [Int]) -> WindowGeometry {
        var g = WindowGeometry(kernel: kernel, strides: strides, dilation: dilation)
        switch padding {
        case .valid: break
        case .same:
            let pads = (0..<g.rank).map { WindowGeometry.samePadding(input: input[$0], kernelSpan: g.span[$0], stride: strides[$0]) }
            g.padBefore = pads.map(\.before)
            g.padAfter = pads.map(\.after)
        case .causal:
            g.padBefore[g.rank - 1] = g.span[g.rank - 1] - 1
        }
        return g
    }

    /// The per-sample output shape for `spatial` positions and `channels` in `format`; fails when a spatial axis is
    /// empty (the window does not fit) or the output is too large.
    static func shape(_ spatial: [Int], _ channels: Int, format: DataFormat = .channelsLast, _ layer: Layer, input: [Int]) throws -> [Int] {
        guard spatial.allSatisfy({ $0 > 0 }) else {
            throw ShapeError("\(layer.displayName): the window does not fit in inputs of shape \(Shape.describeBatched(input))")
        }
        let out = format == .channelsLast ? spatial + [channels] : [channels] + spatial
        _ = try Shape.checkedElementCount(out, "\(layer.displayName) output")
        return out
    }

    /// `x` (`[batch, …]` in `format`) in the channels-last layout.
    static func channelsLast(_ x: Tensor, from format: DataFormat) -> Tensor {
        format == .channelsLast || x.rank < 3 ? x : x.transposed([0] + Array(2..<x.rank) + [1])
    }

    /// A channels-last `x` back in `format`.
    static func restoring(_ x: Tensor, to format: DataFormat) -> Tensor {
        format == .channelsLast || x.rank < 3 ? x : x.transposed([0, x.rank - 1] + Array(1..<(x.rank - 1)))
    }
}
