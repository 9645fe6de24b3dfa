import Foundation
import Testing
@testable import Keras

/// Load → save keeps a Keras file's config semantically identical and its weights bit-identical.
struct SaveRoundTripTests {
    /// The config without `shared_object_id` (CPython object ids that Keras itself does not reproduce).
    static func canonical(_ json: JSON) -> JSON {
        switch json {
        case .object(let o):
            var out = JSONObject()
            for (k, v) in o where k != "shared_object_id" { out[k] = canonical(v) }
            return .object(out)
        case .array(let items): return .array(items.map(canonical))
        default: return json
        }
    }

    static let names = KerasFixtureInferenceTests.cases.all.map(\.name)

    @Test("load → save → load keeps config, weights and predictions", arguments: names)
    func roundTrip(_ name: String) throws {
        let path = fixture("models/\(name).keras")
        let original = try Model.load(from: path)
        let bytes = try original.kerasFileBytes()
        let folder = try BrokenFiles()
        defer { folder.remove() }
        let copy = try folder.write("copy.keras", bytes)
        let reloaded = try Model.load(from: copy)

        let a = try JSON.parse(KerasArchive(path: path).configBytes)
        let b = try JSON.parse(KerasArchive(path: copy).configBytes)
        #expect(Self.canonical(a) == Self.canonical(b), "\(name): config changed on re-save")
        #expect(original.allWeights.map(\.value.scalars) == reloaded.allWeights.map(\.value.scalars))
        let x = try NPY.read(path: fixture("models/\(name).input.npy")).tensor()
        #expect(try original.predict(x).scalars == reloaded.predict(x).scalars)
    }

    @Test func optimizerStateRoundTrips() throws {
        let model = try Model.load(from: fixture("training/rmsprop_centered_momentum_categorical/final.keras"))
        let folder = try BrokenFiles()
        defer { folder.remove() }
        let copy = try folder.write("copy.keras", model.kerasFileBytes())
        let reloaded = try Model.load(from: copy)
        #expect(reloaded.optimizer?.iterations == 3)
        #expect(reloaded.optimizer?.slotVariables.map(\.value.scalars) == model.optimizer?.slotVariables.map(\.value.scalars))
    }

    @Test func aFailedSaveLeavesThePreviousFileAndNoTemporaryFile() throws {
        let folder = try BrokenFiles()
        defer { folder.remove() }
        let target = try folder.write("model.keras", Array("previous contents".utf8))
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(to: target) { handle in
                try handle.write(contentsOf: Data(repeating: 1, count: 1000))
                throw Interrupted()
            }
        }
        #expect(FileManager.default.contents(atPath: target) == Data("previous contents".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.folder.path) == ["model.keras"])
    }
}

/// Keras 2's `hard_sigmoid` (clip(0.2·x + 0.5, 0, 1)) is not Keras 3's: a model using it anywhere cannot be saved as
/// a Keras 3 file without changing its outputs, whatever layer uses it.
struct Keras2ActivationSaveTests {
    func expectRefused(_ model: Model, naming layer: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try model.kerasFileBytes()
            Issue.record("saved a model using Keras 2's hard_sigmoid", sourceLocation: sourceLocation)
        } catch {
            #expect("\(error)".hasPrefix("\(layer) uses Keras 2's hard_sigmoid"), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func aConvolutionUsingIsRefused() throws {
        let model = try Sequential([Input(shape: [5, 5, 1]), Conv2D(2, kernelSize: [3, 3], activation: .hardSigmoidKeras2, name: "conv")])
        expectRefused(model, naming: "layer 'conv' (Conv2D)")
    }

    @Test func aNestedModelUsingItIsRefused() throws {
        let inner = try Sequential([Input(shape: [3]), Dense(2, activation: .hardSigmoidKeras2, name: "inner_dense")], name: "inner")
        let model = try Sequential([Input(shape: [3]), Dense(3), inner])
        expectRefused(model, naming: "layer 'inner_dense' (Dense)")
    }

    @Test func keras3HardSigmoidIsSaved() throws {
        let model = try Sequential([Input(shape: [5, 5, 1]), Conv2D(2, kernelSize: [3, 3], activation: .hardSigmoid)])
        _ = try model.kerasFileBytes()
    }
}
