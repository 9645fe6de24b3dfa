import Foundation
import HDF5

/// `model.save_weights(…)` / `model.load_weights(…)`.
extension Model {
    /// Loads weights (and the optimizer state, when compiled) by Keras's paths from a Keras 3 weights file:
    /// `x.weights.h5`, a sharded save's `x.weights.json` index, or the weights inside a `.keras` file or model
    /// folder. Every mismatch is reported at once; as in Keras, an optimizer state of another size is skipped.
    public func loadWeights(from path: String) throws {
        let store: WeightStore
        if path.hasSuffix(".weights.json") {
            store = try WeightStore(shardIndexAt: path)
        } else if path.hasSuffix(".weights.h5") {
            store = WeightStore(file: try HDF5File.open(path: path), name: path)
        } else if path.hasSuffix(".keras") || FileManager.default.fileExists(atPath: path + "/config.json") {
            store = try WeightStore(archive: try KerasArchive(path: path))
        } else {
            throw ArchiveError("\(path): expected a .weights.h5 file, a sharded .weights.json index or a .keras file")
        }
        let loader = WeightLoader(path: path)
        try loader.load(store, into: self)
        try loader.loadOptimizerState(store, into: self)
        loadWarnings = loader.warnings
        weightConversions = loader.conversions
    }

    /// Saves the weights (and the optimizer state, when compiled) as Keras 3's `x.weights.h5`, with the same tree
    /// as the `model.weights.h5` of a `.keras` file. Like Keras, the name must end in `.weights.h5`. Atomic.
    public func saveWeights(to path: String) throws {
        guard path.hasSuffix(".weights.h5") else {
            throw ArchiveError("\(path): the file name must end in .weights.h5 (Keras's save_weights rule)")
        }
        if let optimizer { optimizer.build(trainableVariables) }
        try AtomicFile.write(try WeightWriter.weightsFile(for: self), to: path)
    }
}
