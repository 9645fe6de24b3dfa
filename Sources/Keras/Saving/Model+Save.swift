import Foundation

/// `model.save("x.keras")`.
extension Model {
    /// The Keras version written in `metadata.json`, the format this package targets.
    public static let kerasFormatVersion = "3.15.1"

    /// Saves the model as a Keras 3 `.keras` file that Python Keras loads (`keras.models.load_model`) and can
    /// keep training: architecture, weights, and the optimizer state when compiled. The file is written
    /// atomically: a failed save leaves any previous file at `path` untouched.
    public func save(to path: String) throws {
        try AtomicFile.write(try kerasFileBytes(), to: path)
    }

    /// The bytes of the `.keras` file `save(to:)` writes.
    public func kerasFileBytes() throws -> [UInt8] {
        let config = try serializedModel()
        for layer in layers {
            if activations(of: layer).contains(where: { !$0.existsInKeras3 }) {
                throw ArchiveError("\(layer.displayName) uses Keras 2's hard_sigmoid (clip(0.2·x + 0.5, 0, 1)), which Keras 3 does not have (its hard_sigmoid is relu6(x + 3) / 6): the model cannot be saved as a Keras 3 file without changing its outputs")
            }
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd@HH:mm:ss"
        let metadata: JSON = .object(["keras_version": .string(Self.kerasFormatVersion), "date_saved": .string(formatter.string(from: Date()))])
        if let optimizer { optimizer.build(trainableVariables) }
        return try KerasArchiveWriter.archiveBytes(entries: [
            ("metadata.json", Array(metadata.serialized().utf8)),
            ("config.json", Array(config.serialized().utf8)),
            ("model.weights.h5", try WeightWriter.weightsFile(for: self)),
        ])
    }

    /// The activations a layer computes with, its sublayers' included (a recurrent cell has two).
    private func activations(of layer: Layer) -> [ActivationFunction] {
        var found = [(layer as? Dense)?.activation, (layer as? Activation)?.activation, (layer as? RecurrentCell)?.activation,
                     (layer as? LSTMCell)?.recurrentActivation, (layer as? GRUCell)?.recurrentActivation].compactMap { $0 }
        found += layer.sublayers.flatMap { activations(of: $0.layer) }
        return found
    }
}
