import Foundation
import HDF5

/// Where a model's variables are read from: one Keras 3 weights file (`model.weights.h5`, `x.weights.h5`) or the
/// shards of a sharded save (`x.weights.json` + `x_00000.weights.h5` …, keras-format.md §1.7).
///
/// A `vars` group is addressed by its path (`layers/dense/vars`); its datasets `0`, `1`, … may be spread over
/// several shards, so the store gathers them from every shard the index lists for that path.
struct WeightStore {
    /// The files, in index order.
    let files: [HDF5File]
    /// For a sharded save: `vars` path (without the leading `/`) → indices into `files`.
    let shardMap: [String: [Int]]?
    /// A name for messages.
    let name: String

    /// One weights file.
    init(file: HDF5File, name: String) {
        files = [file]
        shardMap = nil
        self.name = name
    }

    /// A sharded save, from its `.weights.json` index.
    init(shardIndexAt path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw ArchiveError("\(path): no such file") }
        let index = try JSON.parse(Array(data))
        guard let map = index["weight_map"]?.objectValue else {
            throw ArchiveError("\(path) is not a sharded-weights index: no 'weight_map' object")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var fileNames: [String] = []
        var shardMap: [String: [Int]] = [:]
        for (key, value) in map {
            let names = value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map { [$0] } ?? []
            guard !names.isEmpty else { throw ArchiveError("\(path): weight_map entry '\(key)' names no shard file") }
            var indices: [Int] = []
            for shard in names {
                guard !shard.contains("/"), shard != "..", shard.hasSuffix(".weights.h5") else {
                    throw ArchiveError("\(path): weight_map entry '\(key)' names '\(shard)', not a .weights.h5 file in the same folder")
                }
                if let i = fileNames.firstIndex(of: shard) { indices.append(i) } else { indices.append(fileNames.count); fileNames.append(shard) }
            }
            shardMap[String(key.drop { $0 == "/" })] = indices
        }
        files = try fileNames.map { try HDF5File.open(path: folder.appendingPathComponent($0).path) }
        self.shardMap = shardMap
        name = path
    }

    /// The datasets of the `vars` group at `path`, by name; empty when no file has that group.
    func datasets(inVars path: String) throws -> [String: HDF5Dataset] {
        let candidates = shardMap.map { ($0[path] ?? []).map { files[$0] } } ?? files
        var out: [String: HDF5Dataset] = [:]
        for file in candidates {
            let root = try file.root
            var group = try root.groupIfPresent(path)
            if group == nil, try root.groupIfPresent("_layer_checkpoint_dependencies") != nil {
                // TF-Keras 2.13 files: Keras retries with every "layers" replaced (keras-format.md §5.6).
                group = try root.groupIfPresent(path.replacingOccurrences(of: "layers", with: "_layer_checkpoint_dependencies"))
            }
            guard let group else { continue }
            for child in try group.childNames() where group.childKind(child) == .dataset {
                out[child] = try group.dataset(child)
            }
        }
        return out
    }
}
