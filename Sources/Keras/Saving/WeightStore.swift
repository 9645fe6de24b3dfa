import Foundation
import HDF5

/// Where a model's variables are read from: one Keras 3 weights file (`model.weights.h5`, `x.weights.h5`) or the
/// shards of a sharded save (`x.weights.json` + `x_00000.weights.h5` …, docs/keras-format.md §1.7).
///
/// A `vars` group is addressed by its path (`layers/dense/vars`); its datasets `0`, `1`, … may be spread over
/// several shards, so the store gathers them from every shard the index lists for that path.
struct WeightStore {
    /// The HDF5 files, in index order (none for an npz store).
    let files: [HDF5File]
    /// For a sharded save: `vars` path (without the leading `/`) → indices into `files`.
    let shardMap: [String: [Int]]?
    /// For `model.weights.npz`: arrays by Keras path (`layers/dense`, `optimizer`, `__root__`) and index.
    let npzArrays: [String: [String: NPYArray]]?
    /// A name for messages.
    let name: String

    private init(files: [HDF5File], shardMap: [String: [Int]]?, npzArrays: [String: [String: NPYArray]]?, name: String) {
        self.files = files
        self.shardMap = shardMap
        self.npzArrays = npzArrays
        self.name = name
    }

    /// One weights file.
    init(file: HDF5File, name: String) {
        self.init(files: [file], shardMap: nil, npzArrays: nil, name: name)
    }

    /// The weights entry of a `.keras` archive or model folder, `model.weights.h5` or `model.weights.npz`.
    init(archive: KerasArchive) throws {
        let name = "\(archive.path)/model.weights.\(archive.weightsFormat.rawValue)"
        switch archive.weightsFormat {
        case .h5: self.init(file: try HDF5File.open(image: archive.weightsBytes, name: name), name: name)
        case .npz:
            self.init(files: [], shardMap: nil, npzArrays: try KerasNPZWeights.read(archive.weightsBytes, name: name), name: name)
        }
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
        self.init(files: try fileNames.map { try HDF5File.open(path: folder.appendingPathComponent($0).path) },
                  shardMap: shardMap, npzArrays: nil, name: path)
    }

    /// The datasets of the `vars` group at `path`, by name; empty when no file has that group.
    func datasets(inVars path: String) throws -> [String: any StoredWeight] {
        if let npzArrays {
            let key = path == "vars" ? "__root__" : String(path.dropLast("/vars".count))
            return npzArrays[key] ?? [:]
        }
        let candidates = shardMap.map { ($0[path] ?? []).map { files[$0] } } ?? files
        var out: [String: any StoredWeight] = [:]
        for file in candidates {
            let root = try file.root
            var group = try root.groupIfPresent(path)
            if group == nil, try root.groupIfPresent("_layer_checkpoint_dependencies") != nil {
                // TF-Keras 2.13 files: Keras retries with every "layers" replaced (docs/keras-format.md §5.6).
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
