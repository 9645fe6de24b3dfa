import Foundation
import ZIPFoundation
import Testing
@testable import Keras
import HDF5

/// Damaged or unsupported model files are refused with an error that says what and where — never a crash.
struct BadModelFileTests {
    let files: BrokenFiles
    let good = fixture("models/mixed_dropout_activation.keras")

    init() throws { files = try BrokenFiles() }

    func loadError(_ path: String) -> String? {
        do {
            _ = try Model.load(from: path)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Where the parts of the first version-1 attribute message named `name` sit in a genuine Keras 2 file (fields
    /// padded to 8).
    static func keras2Attribute(_ name: String, in file: String = "seed2016") throws -> (bytes: [UInt8], type: Int, data: Int) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("keras2/\(file).h5"))))
        let pattern = Array((name + "\0").utf8)
        let nameAt = try #require((0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) })
        let header = nameAt - 8
        #expect(bytes[header] == 1)
        let typeSize = Int(bytes[header + 4]) | Int(bytes[header + 5]) << 8
        let spaceSize = Int(bytes[header + 6]) | Int(bytes[header + 7]) << 8
        let type = nameAt + (pattern.count + 7) / 8 * 8
        return (bytes, type, type + (typeSize + 7) / 8 * 8 + (spaceSize + 7) / 8 * 8)
    }

    /// Loads damaged bytes and returns the error, which must come at once.
    func loadError(_ bytes: [UInt8]) throws -> HDF5Error {
        let files = try BrokenFiles()
        defer { files.remove() }
        let path = try files.write("damaged.h5", bytes)
        let start = Date()
        let error = try #require(throws: HDF5Error.self) { try Model.load(from: path) }
        #expect(Date().timeIntervalSince(start) < 1)
        return error
    }

    /// libhdf5 1.10 followed a variable-length string's heap descriptor unchecked (a segfault): a Keras 2 file whose
    /// `model_config` descriptor names a heap object that does not exist must be refused.
    @Test func aKeras2StringAttributePointingOutsideTheHeapIsRefusedNotFollowed() throws {
        var (bytes, _, data) = try Self.keras2Attribute("model_config")
        for (k, byte) in [UInt8(0x77), 0x77, 0, 0].enumerated() { bytes[data + 12 + k] = byte }   // the object index
        let error = try loadError(bytes)
        #expect(error.description.hasSuffix("damaged.h5 is not a readable HDF5 file (truncated or corrupt): '/': attribute 'model_config' refers to global heap object 30583 at address 2048, which does not exist"), "\(error)")
    }

    /// A string attribute whose characters are declared 1 GiB wide made libhdf5 zero-fill gigabytes per string
    /// (a 45-second case of the fuzz test, FUZZ_SEED=42): it must be refused at once.
    @Test func aKeras2StringAttributeWithHugeCharactersIsRefusedAtOnce() throws {
        var (bytes, type, _) = try Self.keras2Attribute("weight_names", in: "mlp_adam_input_layer")
        bytes[type + 15] = 0x40
        let error = try loadError(bytes)
        #expect(error.description.hasSuffix("damaged.h5 is not a readable HDF5 file (truncated or corrupt): the datatype of '/model_weights/dense_6': attribute 'weight_names' declares 1073741825-byte elements"), "\(error)")
    }

    /// A `compile_config` this package cannot apply (here a loss it does not implement) must not stop a model from loading and
    /// predicting: the model loads uncompiled with a warning, `fit` says why, and a save keeps the config.
    @Test func anUnsupportedCompileConfigLoadsUncompiledWithAWarning() throws {
        let files = try BrokenFiles()
        defer { files.remove() }
        let path = try files.editConfig(fixture("training/adam_sparse/initial.keras"), as: "focal.keras") {
            $0.replacingOccurrences(of: "\"class_name\": \"SparseCategoricalCrossentropy\"", with: "\"class_name\": \"CategoricalFocalCrossentropy\"")
        }
        let model = try Model.load(from: path)
        #expect(!model.isCompiled)
        #expect(model.loadWarnings.contains { $0.contains("loaded uncompiled") && $0.contains("unknown loss class 'CategoricalFocalCrossentropy'") }, "\(model.loadWarnings)")
        let x = try NPY.read(path: fixture("training/adam_sparse/x.npy")).tensor()
        #expect(try model.predict(x).shape == [x.shape[0], 4])
        let error = try #require(throws: TrainingError.self) { try model.fit(x: x, y: Tensor.zeros([x.shape[0]])) }
        #expect(error.description.contains("unknown loss class 'CategoricalFocalCrossentropy'"))
        let saved = try JSON.parse(try KerasArchive(path: try files.write("resaved.keras", try model.kerasFileBytes())).configBytes)
        #expect(saved["compile_config"]?["loss"]?["class_name"] == .string("CategoricalFocalCrossentropy"))
    }

    @Test func notAZip() throws {
        let path = try files.write("garbage.keras", Array("hello, not a zip".utf8))
        #expect(loadError(path)?.contains("not a zip archive") == true)
    }

    /// A truncated archive has no end-of-central-directory record: refused at once (ZIPFoundation alone scanned the
    /// whole file for it).
    @Test func aTruncatedArchiveIsRefusedAtOnce() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        let path = try files.write("truncated.keras", Array(bytes.prefix(bytes.count - 30)))
        #expect(loadError(path)?.contains("truncated.keras is not a .keras file: not a zip archive (no end-of-central-directory record; truncated?)") == true)
    }

    /// One flipped bit inside a stored entry changes a weight, not the zip's structure: the CRC-32 must catch it
    /// (Python's zipfile refuses such a file with "Bad CRC-32").
    @Test func aFlippedBitInTheWeightsIsCaughtByTheChecksum() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        let weights = try KerasArchive(path: good).weightsBytes
        let start = try #require((0...(bytes.count - weights.count)).first { bytes[$0..<($0 + weights.count)].elementsEqual(weights) })
        bytes[start + weights.count - 100] ^= 0x01
        let path = try files.write("flipped.keras", bytes)
        #expect(loadError(path)?.contains("flipped.keras: entry model.weights.h5 is corrupt (its CRC-32 or size does not match") == true, "\(loadError(path) ?? "loaded")")
    }

    @Test func missingFile() {
        #expect(loadError(files.path("absent.keras"))?.contains("no such file") == true)
    }

    @Test func missingEntries() throws {
        let noConfig = try files.rezip(good, as: "noconfig.keras") { $0["config.json"] = nil }
        #expect(loadError(noConfig)?.contains("no config.json") == true)
        let noWeights = try files.rezip(good, as: "noweights.keras") { $0["model.weights.h5"] = nil }
        #expect(loadError(noWeights)?.contains("expected a model.weights.h5") == true)
    }

    @Test func brokenJSON() throws {
        let path = try files.editConfig(good, as: "json.keras") { String($0.dropLast(5)) }
        #expect(loadError(path)?.contains("invalid JSON") == true)
    }

    @Test func garbageWeights() throws {
        let path = try files.rezip(good, as: "h5.keras") { $0["model.weights.h5"] = Array(repeating: 7, count: 300) }
        #expect(loadError(path)?.contains("not an HDF5 file") == true)
        let truncated = try files.rezip(good, as: "h5t.keras") { $0["model.weights.h5"] = Array(($0["model.weights.h5"] ?? []).prefix(900)) }
        #expect(loadError(truncated) != nil)
    }

    @Test func everyUnknownClassIsListedWithItsLayerAndAHint() throws {
        let path = try files.editConfig(good, as: "unknown.keras") {
            $0.replacingOccurrences(of: "\"class_name\": \"Activation\"", with: "\"class_name\": \"Frobnicate\"")
              .replacingOccurrences(of: "\"class_name\": \"Antirectifier\"", with: "\"class_name\": \"Bogus\"")
              .replacingOccurrences(of: "\"registered_name\": \"Antirectifier\"", with: "\"registered_name\": \"Custom>Bogus\"")
        }
        let message = try #require(loadError(path))
        #expect(message.contains("layer 'activation") && message.contains("': unknown layer class Frobnicate"))
        #expect(message.contains("unknown layer class Bogus (registered as 'Custom>Bogus')"))
        #expect(message.contains("registry.register(MyLayer.self)"))
    }

    @Test func everyUnsupportedConfigValueIsListedAtOnce() throws {
        let path = try files.editConfig(good, as: "values.keras") {
            $0.replacingOccurrences(of: "\"activation\": \"tanh\"", with: "\"activation\": \"swishy\"")
              .replacingOccurrences(of: "\"rate\": 0.3", with: "\"rate\": \"high\"")
        }
        let message = try #require(loadError(path))
        #expect(message.contains("unknown activation 'swishy'"))
        #expect(message.contains("config key 'rate': expected a number, found a string"))
    }

    @Test func wrongWeightShapeNamesLayerAndPath() throws {
        let path = try files.editConfig(good, as: "shape.keras") { $0.replacingOccurrences(of: "\"units\": 8", with: "\"units\": 9") }
        let message = try #require(loadError(path))
        #expect(message.contains("'layers/dense/vars/0' has shape [6, 8]"))
    }

    @Test func wrongInputWidthIsAShapeError() throws {
        let model = try Model.load(from: good)
        #expect {
            try model.predict(Tensor.zeros([2, 7]))
        } throws: { error in
            "\(error)".contains("expects input of shape (None, 6), got (2, 7)")
        }
    }
}

/// Archives Keras did not write itself: deflated entries, and MNIST missing everywhere.
struct ArchiveVariantTests {
    @Test func deflatedEntriesRead() throws {
        let folder = try BrokenFiles()
        defer { folder.remove() }
        let source = try KerasArchive(path: fixture("models/dense_relu.keras"))
        let path = folder.path("deflated.keras")
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, bytes) in [("config.json", source.configBytes), ("model.weights.h5", source.weightsBytes)] {
            let data = Data(bytes)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let model = try Model.load(from: path)
        let x = try NPY.read(path: fixture("models/dense_relu.input.npy")).tensor()
        expectAllClose(try model.predict(x), try NPY.read(path: fixture("models/dense_relu.output.npy")).tensor(), "deflated archive")
    }

    @Test func missingMNISTNamesEveryPlaceLooked() {
        #expect {
            try MNIST.load(path: nil, download: false, candidates: ["/nowhere/a/mnist.npz", "/nowhere/b/mnist.npz"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("/nowhere/a/mnist.npz, /nowhere/b/mnist.npz") && text.contains("looked in")
        }
    }
}
