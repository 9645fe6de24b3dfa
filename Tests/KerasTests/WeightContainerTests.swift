import Foundation
import Testing
@testable import Keras

/// Keras 3's weight containers, all written by Keras for one trained model (`Fixtures/weights`).
struct WeightContainerTests {
    let x: Tensor
    let expected: Tensor

    init() throws {
        x = try NPY.read(path: fixture("weights/input.npy")).tensor()
        expected = try NPY.read(path: fixture("weights/output.npy")).tensor()
    }

    /// The architecture with freshly initialised weights (different from the trained ones).
    func freshModel() throws -> Model {
        let model = try Model.load(from: fixture("weights/model.keras"))
        for w in model.allWeights { try w.assign(Tensor.zeros(w.shape)) }
        return model
    }

    @Test("load_weights reads each container", arguments: ["weights/model.weights.h5", "weights/sharded.weights.json", "weights/model.keras", "weights/unzipped"])
    func loadWeightsFromEachContainer(_ path: String) throws {
        let model = try freshModel()
        try model.loadWeights(from: fixture(path))
        expectAllClose(try model.predict(x), expected, "predictions after loadWeights(\(path))")
        #expect(model.optimizer?.iterations == 4)
    }

    @Test func anUnzippedModelFolderLoads() throws {
        let model = try Model.load(from: fixture("weights/unzipped"))
        expectAllClose(try model.predict(x), expected, "model folder")
    }

    @Test func npzWeightsLoad() throws {
        let model = try Model.load(from: fixture("weights/npz_weights.keras"))
        expectAllClose(try model.predict(x), expected, "model.weights.npz")
        #expect(model.optimizer?.iterations == 4)
        let reference = try Model.load(from: fixture("weights/model.keras"))
        #expect(model.optimizer?.slotVariables.map(\.value.scalars) == reference.optimizer?.slotVariables.map(\.value.scalars))
    }

    @Test func damagedPicklesAreRefused() throws {
        #expect(throws: PickleError.self) { try Pickle.load([0x80, 0x04, 0x95]) }
        #expect(throws: PickleError.self) { try Pickle.load([0x80, 0x04, 0x63, 0x6F, 0x73]) }         // unterminated GLOBAL
        #expect(throws: PickleError.self) { try Pickle.load([0x80, 0x04, 0x52, 0x2E]) }               // REDUCE on an empty stack
        #expect(throws: PickleError.self) { try Pickle.load([0x80, 0x04, 0x69, 0x2E]) }               // an unsupported opcode
    }

    @Test func saveWeightsWritesKerasTreeThatLoadsBack() throws {
        let folder = try BrokenFiles()
        defer { folder.remove() }
        let source = try Model.load(from: fixture("weights/model.keras"))
        let path = folder.path("copy.weights.h5")
        try source.saveWeights(to: path)
        let model = try freshModel()
        try model.loadWeights(from: path)
        expectAllClose(try model.predict(x), expected, "save → load weights")
        #expect(model.optimizer?.slotVariables.map(\.value.scalars) == source.optimizer?.slotVariables.map(\.value.scalars))
        #expect(throws: ArchiveError.self) { try source.saveWeights(to: folder.path("copy.h5")) }
    }

    @Test func mismatchedWeightsAreAllReported() throws {
        let other = try Sequential([Input(shape: [6]), Dense(5), Antirectifier(), Dense(3)])
        #expect {
            try other.loadWeights(from: fixture("weights/model.weights.h5"))
        } throws: { error in
            let text = "\(error)"
            return text.contains("'layers/dense/vars/0' has shape [6, 12]") && text.contains("layers/antirectifier/vars/0")
        }
    }
}

/// Weights stored as float16, bfloat16 or float64 load as float32 (as Keras loads them) and summary says so.
struct ConvertedWeightTests {
    @Test("predicts what Keras predicts after its own conversion", arguments: ["float16", "bfloat16", "float64"])
    func convertedWeightsPredictLikeKeras(_ kind: String) throws {
        let model = try Model.load(from: fixture("converted/weights_\(kind).keras"))
        let x = try NPY.read(path: fixture("converted/weights_\(kind).input.npy")).tensor()
        expectAllClose(try model.predict(x), try NPY.read(path: fixture("converted/weights_\(kind).output.npy")).tensor(), "\(kind) weights")
        #expect(model.weightConversions == [kind: 5])
        #expect(model.summary().contains("Converted to float32 on load: 5 \(kind) variables"))
    }
}
