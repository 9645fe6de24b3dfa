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

    static let names = KerasFixtureInferenceTests.cases.map(\.name)

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
