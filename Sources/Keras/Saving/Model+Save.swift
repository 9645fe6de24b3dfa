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
        if let layer = Self.layerUsingKeras2HardSigmoid(in: config, owner: "model '\(name)'") {
            throw ArchiveError("\(layer) uses Keras 2's hard_sigmoid (clip(0.2·x + 0.5, 0, 1)), which Keras 3 does not have (its hard_sigmoid is relu6(x + 3) / 6): the model cannot be saved as a Keras 3 file without changing its outputs")
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

    /// The layer (`layer 'c' (Conv2D)`) whose config, anywhere in the serialized model `json` (nested models and
    /// wrapped layers included, whatever the layer class), names Keras 2's hard sigmoid as an activation (or a
    /// recurrent layer's recurrent activation).
    static func layerUsingKeras2HardSigmoid(in json: JSON, owner: String) -> String? {
        let keras2Only = JSON.string(ActivationFunction.hardSigmoidKeras2.rawValue)
        switch json {
        case .object(let object):
            var owner = owner
            if let className = object["class_name"]?.stringValue, let name = object["config"]?["name"]?.stringValue {
                owner = "layer '\(name)' (\(className))"
            }
            for (key, value) in object {
                if key == "activation" || key == "recurrent_activation", value == keras2Only { return owner }
                if let found = layerUsingKeras2HardSigmoid(in: value, owner: owner) { return found }
            }
        case .array(let items):
            for item in items { if let found = layerUsingKeras2HardSigmoid(in: item, owner: owner) { return found } }
        default:
            break
        }
        return nil
    }
}
