import Foundation

/// Keras's `ModelCheckpoint`: saves the model (`.keras`) or its weights (`.weights.h5`, with `saveWeightsOnly`)
/// after each epoch, or only when `monitor` improves (`saveBestOnly`). The path may hold Python format fields
/// filled from the epoch (1-based) and the logs: `"ckpt-{epoch:02d}-{val_loss:.2f}.keras"`.
public final class ModelCheckpoint: Callback {
    /// When to save: after each epoch, or every so many training batches (Keras's `save_freq`).
    public enum SaveFrequency: Sendable, Equatable {
        /// After every epoch (Keras's `save_freq="epoch"`).
        case epoch
        /// Every so many training batches (Keras's `save_freq=N`).
        case batches(Int)
    }

    /// Where to save; Python format fields (`{epoch:02d}`, `{val_loss:.2f}`) are filled in.
    public let filepath: String
    /// Whether to save only when the monitored value improves.
    public let saveBestOnly: Bool
    /// Whether to save only the weights (`.weights.h5`) rather than the whole model (`.keras`).
    public let saveWeightsOnly: Bool
    /// When to save.
    public let saveFrequency: SaveFrequency
    private var monitor: Monitor
    private var currentEpoch = 0
    private var batchesSinceSaving = 0
    private var lastBatchSeen: Int?
    /// The best monitored value saved so far.
    public private(set) var best: Double?
    /// Every path written, in order.
    public private(set) var savedPaths: [String] = []

    /// Keras's defaults: `monitor="val_loss"`, `save_best_only=False`, `save_weights_only=False`, `mode="auto"`.
    public init(_ filepath: String, monitor: String = "val_loss", saveBestOnly: Bool = false, saveWeightsOnly: Bool = false,
                mode: MonitorMode = .auto, saveFrequency: SaveFrequency = .epoch, initialValueThreshold: Double? = nil) throws {
        if case .batches(let n) = saveFrequency, n < 1 { throw TrainingError("ModelCheckpoint: save frequency must be at least 1 batch, got \(n)") }
        if saveWeightsOnly && !filepath.hasSuffix(".weights.h5") {
            throw TrainingError("ModelCheckpoint with saveWeightsOnly: the filepath must end in .weights.h5, got '\(filepath)'")
        }
        if !saveWeightsOnly && !filepath.hasSuffix(".keras") {
            throw TrainingError("ModelCheckpoint: the filepath must end in .keras (Keras model format), got '\(filepath)'")
        }
        self.filepath = filepath
        self.saveBestOnly = saveBestOnly
        self.saveWeightsOnly = saveWeightsOnly
        self.saveFrequency = saveFrequency
        self.monitor = Monitor(monitor, mode: mode, minDelta: 0)
        self.best = initialValueThreshold
    }

    /// Remembers the epoch for the file name.
    public func onEpochBegin(_ epoch: Int, model: Model, logs: TrainingLogs) throws { currentEpoch = epoch }

    /// Keras's `_should_save_on_batch`: batches are counted across epochs (a batch index not above the last one
    /// seen starts a new epoch's count).
    public func onTrainBatchEnd(_ batch: Int, model: Model, logs: TrainingLogs) throws {
        guard case .batches(let frequency) = saveFrequency else { return }
        batchesSinceSaving += lastBatchSeen.map { batch <= $0 ? batch + 1 : batch - $0 } ?? batch + 1
        lastBatchSeen = batch
        guard batchesSinceSaving >= frequency else { return }
        batchesSinceSaving = 0
        try monitor.resolve(model)
        try save(model, path: try PythonFormat.fill(filepath, epoch: currentEpoch + 1, batch: batch + 1, logs: logs), logs: logs)
    }

    /// Saves (when the frequency is per epoch, and with `saveBestOnly` only on an improvement).
    public func onEpochEnd(_ epoch: Int, model: Model, logs: inout TrainingLogs) throws {
        try monitor.resolve(model)
        guard saveFrequency == .epoch else { return }
        try save(model, path: try PythonFormat.fill(filepath, epoch: epoch + 1, logs: logs), logs: logs)
    }

    private func save(_ model: Model, path: String, logs: TrainingLogs) throws {
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
    static func fill(_ template: String, epoch: Int, batch: Int? = nil, logs: TrainingLogs) throws -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { throw TrainingError("ModelCheckpoint: unclosed '{' in '\(template)'") }
            let field = rest[rest.index(after: open)..<close]
            let parts = field.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]), spec = parts.count > 1 ? String(parts[1]) : ""
            let value: Double
            if name == "epoch" { value = Double(epoch) } else if name == "batch", let batch { value = Double(batch) } else if let v = logs[name] { value = v } else {
                throw TrainingError("Failed to format this callback filepath: \"\(template)\". Reason: no value '\(name)' in the logs (\(logs.names.joined(separator: ", ")))")
            }
            out += try format(value, isInteger: name == "epoch" || name == "batch", spec: spec, template: template)
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
