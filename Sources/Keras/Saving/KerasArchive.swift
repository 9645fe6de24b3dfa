import Foundation

/// The entries of a Keras 3 model file: a `.keras` zip archive (stored or deflated entries) or an unzipped model
/// folder as `model.save(path, zipped=False)` writes it.
public struct KerasArchive: Sendable {
    /// The file or folder read.
    public let path: String
    /// The bytes of `config.json`.
    public let configBytes: [UInt8]
    /// The bytes of `metadata.json`, when present (Keras's loader never needs it).
    public let metadataBytes: [UInt8]?
    /// The bytes of the weights entry (`model.weights.h5`, or `model.weights.npz`).
    public let weightsBytes: [UInt8]
    /// Which weights entry the archive has.
    public let weightsFormat: WeightsFormat

    /// The two weights formats Keras writes into a `.keras` file.
    public enum WeightsFormat: String, Sendable {
        /// `model.weights.h5` (HDF5), what Keras writes by default.
        case h5
        /// `model.weights.npz` (NumPy), what some Keras versions and tools write.
        case npz
    }
    /// Every entry name in the archive.
    public let entryNames: [String]

    /// The largest entry this reader extracts (1 GiB): larger ones are refused before any allocation.
    public static let maximumEntrySize: UInt64 = 1 << 30

    /// Reads the archive or folder at `path`.
    public init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ArchiveError("\(path): no such file")
        }
        var entries: [String: [UInt8]] = [:]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            entryNames = names.sorted()
            for name in ["config.json", "metadata.json", "model.weights.h5", "model.weights.npz"] where names.contains(name) {
                let url = URL(fileURLWithPath: path).appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: url.path) else { throw ArchiveError("\(path): cannot read \(name)") }
                entries[name] = [UInt8](data)
            }
        } else {
            let zip = try ZipReader(path: path, kind: "a .keras file", maximumEntrySize: Self.maximumEntrySize) { ArchiveError($0) }
            entryNames = zip.entries.map(\.path)
            for name in ["config.json", "metadata.json", "model.weights.h5", "model.weights.npz"] {
                guard let entry = zip[name] else { continue }
                entries[name] = try zip.extract(entry)
            }
        }
        guard let config = entries["config.json"] else {
            throw ArchiveError("\(path) is not a Keras model: it has no config.json (entries: \(entryNames.joined(separator: ", ")))")
        }
        if let h5 = entries["model.weights.h5"] {
            (weightsBytes, weightsFormat) = (h5, .h5)
        } else if let npz = entries["model.weights.npz"] {
            (weightsBytes, weightsFormat) = (npz, .npz)
        } else {
            throw ArchiveError("\(path): expected a model.weights.h5 or model.weights.npz file")
        }
        configBytes = config
        metadataBytes = entries["metadata.json"]
    }
}
