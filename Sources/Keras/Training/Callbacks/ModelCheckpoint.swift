import Foundation

/// Keras's `ModelCheckpoint`: saves the model (`.keras`) or its weights (`.weights.h5`, with `saveWeightsOnly`)
/// after each epoch, or only when `monitor` improves (`saveBestOnly`). The path may hold Python format fields
/// filled from the epoch (1-based) and the logs: `"ckpt-{epoch:02d}-{val_loss:.2f}.keras"`.
public final class ModelCheckpoint: Callback {
    public let filepath: String
    public let saveBestOnly: Bool
    public let saveWeightsOnly: Bool
    private var monitor: Monitor
    /// The best monitored value saved so far.
    public private(set) var best: Double?
    /// Every path written, in order.
    public private(set) var savedPaths: [String] = []

    /// Keras's defaults: `monitor="val_loss"`, `save_best_only=False`, `save_weights_only=False`, `mode="auto"`.
    public init(_ filepath: String, monitor: String = "val_loss", saveBestOnly: Bool = false, saveWeightsOnly: Bool = false,
                mode: MonitorMode = .auto, initialValueThreshold: Double? = nil) throws {
        if saveWeightsOnly && !filepath.hasSuffix(".weights.h5") {
            throw TrainingError("ModelCheckpoint with saveWeightsOnly: the filepath must end in .weights.h5, got '\(filepath)'")
        }
        if !saveWeightsOnly && !filepath.hasSuffix(".keras") {
            throw TrainingError("ModelCheckpoint: the filepath must end in .keras (Keras model format), got '\(filepath)'")
        }
        self.filepath = filepath
        self.saveBestOnly = saveBestOnly
        self.saveWeightsOnly = saveWeightsOnly
        self.monitor = Monitor(monitor, mode: mode, minDelta: 0)
        self.best = initialValueThreshold
    }

    public func onEpochEnd(_ epoch: Int, model: Model, logs: inout TrainingLogs) throws {
        try monitor.resolve(model)
        let path = try PythonFormat.fill(filepath, epoch: epoch + 1, logs: logs)
        if saveBestOnly, let current = logs[monitor.name] {
            guard monitor.isImprovement(current, over: best) else { return }
            best = current
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        if saveWeightsOnly { try model.saveWeights(to: path) } else { try model.save(to: path) }
        savedPaths.append(path)
    }
}

/// Python's `str.format` for the fields of a checkpoint path: `{name}`, `{name:02d}`, `{name:.2f}`, `{name:.3e}`.
enum PythonFormat {
    static func fill(_ template: String, epoch: Int, logs: TrainingLogs) throws -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { throw TrainingError("ModelCheckpoint: unclosed '{' in '\(template)'") }
            let field = rest[rest.index(after: open)..<close]
            let parts = field.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]), spec = parts.count > 1 ? String(parts[1]) : ""
            let value: Double
            if name == "epoch" { value = Double(epoch) } else if let v = logs[name] { value = v } else {
                throw TrainingError("Failed to format this callback filepath: \"\(template)\". Reason: no value '\(name)' in the logs (\(logs.names.joined(separator: ", ")))")
            }
            out += try format(value, isInteger: name == "epoch", spec: spec, template: template)
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    private static func format(_ value: Double, isInteger: Bool, spec: String, template: String) throws -> String {
        if spec.isEmpty { return isInteger ? String(Int(value)) : CSVLogger.pythonFloat(value) }
        guard let kind = spec.last, "dfeg".contains(kind) else { throw TrainingError("ModelCheckpoint: unsupported format '\(spec)' in '\(template)'") }
        let body = spec.dropLast()
        if kind == "d" {
            guard isInteger else { throw TrainingError("ModelCheckpoint: format 'd' needs an integer field in '\(template)'") }
            return String(format: "%\(body)ld", Int(value))
        }
        return String(format: "%\(body)\(kind)", value)
    }
}
