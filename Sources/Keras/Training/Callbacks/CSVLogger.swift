import Foundation

/// Keras's `CSVLogger`: one row per epoch (`epoch` first, then the log names sorted; when there is no validation,
/// each name's `val_` column too, filled with `NA`), written as Python's `csv` module writes it (`\r\n` line ends,
/// numbers as Python prints them) and flushed after each epoch.
public final class CSVLogger: Callback {
    /// The CSV file written.
    public let path: String
    /// The field separator.
    public let separator: String
    /// Whether to append to an existing file (its header is kept) rather than overwrite it.
    public let append: Bool
    private var keys: [String]?
    private var handle: FileHandle?
    private var writeHeader = true

    /// Keras's defaults: `separator=","`, `append=False`.
    public init(_ path: String, separator: String = ",", append: Bool = false) {
        self.path = path
        self.separator = separator
        self.append = append
    }

    /// Opens the file (creating, truncating or appending).
    public func onTrainBegin(_ model: Model, logs: TrainingLogs) throws {
        let manager = FileManager.default
        let existing = append ? manager.contents(atPath: path) : nil
        writeHeader = existing.map { $0.isEmpty || $0.first == UInt8(ascii: "\n") || $0.first == UInt8(ascii: "\r") } ?? true
        if existing == nil {
            guard manager.createFile(atPath: path, contents: nil) else { throw TrainingError("CSVLogger: cannot create '\(path)'") }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw TrainingError("CSVLogger: cannot open '\(path)' for writing") }
        if existing != nil { handle.seekToEndOfFile() }
        self.handle = handle
        keys = nil
    }

    /// Writes the epoch's row (and the header before the first row) and flushes it.
    public func onEpochEnd(_ epoch: Int, model: Model, logs: inout TrainingLogs) throws {
        if keys == nil {
            var sorted = logs.names.sorted()
            if !sorted.contains(where: { $0.hasPrefix("val_") }) { sorted += sorted.map { "val_" + $0 } }
            keys = sorted
            if writeHeader { try write((["epoch"] + sorted).map(Self.quoted)) }
        }
        try write(["\(epoch)"] + (keys ?? []).map { key in logs[key].map(Self.pythonFloat) ?? "NA" })
    }

    /// Closes the file.
    public func onTrainEnd(_ model: Model, logs: TrainingLogs) throws {
        try handle?.close()
        handle = nil
    }

    private func write(_ fields: [String]) throws {
        guard let handle else { return }
        try handle.write(contentsOf: Data((fields.joined(separator: separator) + "\r\n").utf8))
    }

    /// Python's `repr` of a float (what `csv` writes): shortest round-trip digits, `nan`, `inf`.
    static func pythonFloat(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }

    /// A field quoted as Python's `csv` does when it holds a separator, a quote or a line break.
    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { ",\"\r\n".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
