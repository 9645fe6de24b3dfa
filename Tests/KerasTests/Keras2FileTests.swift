import Foundation
import Testing
@testable import Keras

/// Genuine Keras 2 HDF5 files (`Fixtures/keras2`, written by tf_keras with `tools/make_keras2_fixtures.py`).
struct Keras2FileTests {
    static let names = ["seed2016", "mlp_rmsprop_trained", "mlp_adam_input_layer", "norm_layers", "embedding"]

    @Test func keras2NormalizationConfigsConvertToKeras3s() throws {
        let model = try Model.load(from: fixture("keras2/norm_layers.h5"))
        let bn = try #require(model.layers.first as? BatchNormalization)
        #expect(bn.axis == 1)                                  // Keras 2 wrote [1]
        #expect(model.allWeights.prefix(4).map(\.name) == ["gamma", "beta", "moving_mean", "moving_variance"])
        let folder = try BrokenFiles()
        defer { folder.remove() }
        let converted = try Model.load(from: try folder.write("converted.keras", try model.kerasFileBytes()))
        let entries = try #require(converted.layers.map { $0.serializedEntry()["config"] } as [JSON?])
        #expect(entries[0]?["axis"] == .int(1))
        #expect(entries[2]?["negative_slope"] != nil && entries[2]?["alpha"] == nil)
        let x = try NPY.read(path: fixture("keras2/norm_layers.input.npy")).tensor()
        expectAllClose(try converted.predict(x), try NPY.read(path: fixture("keras2/norm_layers.output.npy")).tensor(), "converted")
    }

    @Test("a Functional Keras 2 file predicts like Keras 2 and converts to a Keras 3 file",
          arguments: ["functional_two_inputs", "functional_convnet"])
    func functionalKeras2FilesPredictAndConvert(_ name: String) throws {
        let model = try Model.load(from: fixture("keras2/\(name).h5"))
        let x = try (0..<2).map { try NPY.read(path: fixture("keras2/\(name).input_\($0).npy")).tensor() }
        let expected = try NPY.read(path: fixture("keras2/\(name).output.npy")).tensor()
        expectAllClose(try model.predict(x)[0], expected, "Keras 2 Functional")
        let folder = try BrokenFiles()
        defer { folder.remove() }
        let converted = try folder.write("converted.keras", try model.kerasFileBytes())
        expectAllClose(try Model.load(from: converted).predict(x)[0], expected, "converted to Keras 3")
    }

    @Test("predicts what Keras 2 predicted", arguments: names)
    func predictsLikeKeras2(_ name: String) throws {
        let model = try Model.load(from: fixture("keras2/\(name).h5"))
        let x = try NPY.read(path: fixture("keras2/\(name).input.npy")).tensor()
        expectAllClose(try model.predict(x), try NPY.read(path: fixture("keras2/\(name).output.npy")).tensor(), "Keras 2 \(name)")
    }

    @Test func theWeightlessAntirectifierIsThe2016One() throws {
        let model = try Model.load(from: fixture("keras2/seed2016.h5"))
        #expect(model.layers.filter { $0 is Antirectifier2016 }.count == 2)
        #expect(model.totalParameterCount == 200_960 + 131_328 + 5_130)
        #expect(model.loss == nil)   // saved with include_optimizer=False: Keras 2 writes no training_config
    }

    @Test func aUserRegistrationOverridesTheChoice() throws {
        var registry = LayerRegistry.builtins
        registry.register(Antirectifier.self)
        #expect(throws: ModelLoadError.self) { try Model.load(from: fixture("keras2/seed2016.h5"), registry: registry) }
    }

    @Test func trainingConfigAndOptimizerStateAreRestored() throws {
        let model = try Model.load(from: fixture("keras2/mlp_rmsprop_trained.h5"))
        let optimizer = try #require(model.optimizer as? RMSprop)
        #expect(optimizer.iterations == 3)
        #expect(optimizer.learningRate == 0.005)
        #expect(model.metrics.map(\.name) == ["accuracy"])
        #expect(model.loadWarnings.isEmpty)
        let x = try NPY.read(path: fixture("keras2/mlp_rmsprop_trained.x.npy")).tensor()
        let y = try NPY.read(path: fixture("keras2/mlp_rmsprop_trained.y.npy")).tensor()
        _ = try model.fit(x: x, y: y, batchSize: 8, epochs: 1, shuffle: false)
        #expect(optimizer.iterations == 6)
    }

    @Test func convertsToAKerasFileThatLoadsBack() throws {
        let folder = try BrokenFiles()
        defer { folder.remove() }
        let model = try Model.load(from: fixture("keras2/mlp_rmsprop_trained.h5"))
        let path = folder.path("converted.keras")
        try model.save(to: path)
        let config = try JSON.parse(KerasArchive(path: path).configBytes)
        let layers = config["config"]?["layers"]?.arrayValue ?? []
        #expect(layers.first?["class_name"] == .string("InputLayer"))
        #expect(layers.allSatisfy { $0["module"] != nil })
        #expect(layers[1]["config"]?["batch_input_shape"] == nil)
        let reloaded = try Model.load(from: path)
        let x = try NPY.read(path: fixture("keras2/mlp_rmsprop_trained.input.npy")).tensor()
        expectAllClose(try reloaded.predict(x), try NPY.read(path: fixture("keras2/mlp_rmsprop_trained.output.npy")).tensor(), "converted")
        #expect(reloaded.optimizer?.iterations == 3)
        #expect(reloaded.layers.contains { $0 is Antirectifier2016 })
    }
}
