import Foundation
@testable import Keras

/// Makes damaged variants of a fixture model in a temporary folder.
struct BrokenFiles {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("swift-keras-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Writes raw bytes.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: folder.appendingPathComponent(name))
        return path(name)
    }

    /// Re-zips `fixture` with its entries changed by `edit` (a nil value drops the entry).
    func rezip(_ fixturePath: String, as name: String, _ edit: (inout [String: [UInt8]]) throws -> Void) throws -> String {
        let archive = try KerasArchive(path: fixturePath)
        var entries: [String: [UInt8]] = ["config.json": archive.configBytes, "model.weights.h5": archive.weightsBytes]
        if let m = archive.metadataBytes { entries["metadata.json"] = m }
        try edit(&entries)
        let ordered = ["metadata.json", "config.json", "model.weights.h5"].compactMap { n in entries[n].map { (n, $0) } }
        return try write(name, KerasArchiveWriter.archiveBytes(entries: ordered))
    }

    /// Re-zips `fixture` with its config.json text transformed.
    func editConfig(_ fixturePath: String, as name: String, _ transform: (String) -> String) throws -> String {
        try rezip(fixturePath, as: name) { entries in
            let text = String(decoding: entries["config.json"] ?? [], as: UTF8.self)
            entries["config.json"] = Array(transform(text).utf8)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
