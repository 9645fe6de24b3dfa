import Foundation
import Testing
@testable import Keras

/// Each case in `Fixtures/training`: a compiled Keras model (`initial.keras`), trained by Keras for exactly three
/// optimizer steps (`fit`, batch 8, shuffle off) into `final.keras`. Swift loads the initial model, trains it the
/// same way with the loss, optimizer and metrics from its `compile_config`, and must reach Keras's weights and
/// optimizer slots.
struct KerasFixtureTrainingTests {
    static let cases = FixtureCases<String> { try FixtureCases.names(in: "training") }

    @Test func everyOptimizerAndLossHasACase() throws {
        try Self.cases.expectFound(atLeast: 15, "Fixtures/training")
    }

    @Test("three optimizer steps reach Keras's weights and slots", arguments: cases.all)
    func threeStepsMatchKeras(_ name: String) throws {
        try expectThreeStepsMatchKeras(fixture("training/\(name)"), name)
    }
}

/// Loads `<folder>/initial.keras`, trains it on `x.npy`, `y.npy` like Keras did (`fit`, batch 8, shuffle off, one
/// epoch of three steps) and expects Keras's weights (`final.keras`), optimizer slots and logged metrics.
func expectThreeStepsMatchKeras(_ folder: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let model = try Model.load(from: "\(folder)/initial.keras")
    // One `x.npy`, or `x_0.npy`, `x_1.npy` … for a model with several inputs.
    let x = FileManager.default.fileExists(atPath: "\(folder)/x.npy")
        ? [try NPY.read(path: "\(folder)/x.npy").tensor()]
        : try (0..<model.inputShapes.count).map { try NPY.read(path: "\(folder)/x_\($0).npy").tensor() }
    // One `y.npy`, or `y_0.npy`, `y_1.npy` … for a model with several outputs.
    let y = FileManager.default.fileExists(atPath: "\(folder)/y.npy")
        ? [try NPY.read(path: "\(folder)/y.npy").tensor()]
        : try (0..<model.outputCount).map { try NPY.read(path: "\(folder)/y_\($0).npy").tensor() }
    // Optional: `sample_weight.npy`, and `class_weight` / `validation_split` / `learning_rate_after` in history.json.
    let logged = try JSON.parse(Array(FileManager.default.contents(atPath: "\(folder)/history.json") ?? Data()))
    let sampleWeight = FileManager.default.fileExists(atPath: "\(folder)/sample_weight.npy")
        ? try NPY.read(path: "\(folder)/sample_weight.npy").tensor() : nil
    let classWeight = logged["class_weight"]?.objectValue.map { object in
        Dictionary(uniqueKeysWithValues: object.map { (Int($0.key) ?? -1, Float($0.value.doubleValue ?? .nan)) })
    }
    let history = try model.fit(x: x, y: y, batchSize: 8, epochs: 1, validationSplit: logged["validation_split"]?.doubleValue ?? 0,
                                shuffle: false, sampleWeight: sampleWeight, classWeight: classWeight)
    let keras = try Model.load(from: "\(folder)/final.keras")
    if let rate = logged["learning_rate_after"]?.doubleValue {
        #expect(abs(Double(model.optimizer?.learningRate ?? .nan) - rate) <= 1e-6 * max(1, rate), "\(name): learning rate after 3 steps", sourceLocation: sourceLocation)
        #expect(abs(Double(keras.optimizer?.learningRate ?? .nan) - rate) <= 1e-6 * max(1, rate), "\(name): loaded learning rate", sourceLocation: sourceLocation)
    }

    #expect(model.optimizer?.iterations == 3, sourceLocation: sourceLocation)
    #expect(keras.optimizer?.iterations == 3, sourceLocation: sourceLocation)
    #expect(model.allWeights.count == keras.allWeights.count, sourceLocation: sourceLocation)
    for (i, (mine, theirs)) in zip(model.allWeights, keras.allWeights).enumerated() {
        expectAllClose(mine.value, theirs.value, "\(name) weight \(i) (\(mine.name))", sourceLocation: sourceLocation)
    }
    let slots = (model.optimizer?.slotVariables ?? [], keras.optimizer?.slotVariables ?? [])
    #expect(slots.0.count == slots.1.count, sourceLocation: sourceLocation)
    for (i, (mine, theirs)) in zip(slots.0, slots.1).enumerated() {
        expectAllClose(mine.value, theirs.value, rtol: 1e-3, atol: 1e-6, "\(name) optimizer slot \(i)", sourceLocation: sourceLocation)
    }
    if let evaluated = logged["evaluate"]?.objectValue {
        let logs = try model.evaluate(x: x, y: y, batchSize: 8, sampleWeight: sampleWeight)
        for (metric, value) in evaluated {
            let (got, expected) = (logs[metric] ?? .nan, value.doubleValue ?? .nan)
            #expect(abs(got - expected) <= 1e-4 * max(1, abs(expected)), "\(name): evaluate \(metric) is \(got), Keras \(expected)", sourceLocation: sourceLocation)
        }
    }
    for (metric, values) in logged["history"]?.objectValue ?? JSONObject() {
        let expected = values.arrayValue?.first?.doubleValue ?? .nan
        let got = history[metric].first ?? .nan
        #expect(abs(got - expected) <= 1e-4 * max(1, abs(expected)), "\(name): \(metric) is \(got), Keras logged \(expected)", sourceLocation: sourceLocation)
    }
}

/// Fine-tuning with frozen layers, as Keras does it.
struct FrozenLayerTests {
    @Test func frozenLayersDoNotMoveAndGetNoOptimizerSlots() throws {
        let folder = "training/adam_frozen_first_layers"
        let model = try Model.load(from: fixture("\(folder)/initial.keras"))
        #expect(model.layers.prefix(2).allSatisfy { !$0.trainable })
        #expect(model.trainableVariables.count == 2)
        let before = model.layers[0].weights.map(\.value.scalars)
        _ = try model.fit(x: try NPY.read(path: fixture("\(folder)/x.npy")).tensor(),
                          y: try NPY.read(path: fixture("\(folder)/y.npy")).tensor(), batchSize: 8, epochs: 1, shuffle: false)
        #expect(model.layers[0].weights.map(\.value.scalars) == before)
        #expect(model.optimizer?.slotVariables.count == 4)   // momentum and velocity for the last Dense's kernel and bias
        let keras = try Model.load(from: fixture("\(folder)/final.keras"))
        for (i, (mine, theirs)) in zip(model.allWeights, keras.allWeights).enumerated() {
            expectAllClose(mine.value, theirs.value, "frozen case weight \(i)")
        }
    }

    @Test func unfreezingMakesWeightsTrainableAgain() throws {
        let model = try Model.load(from: fixture("training/adam_frozen_first_layers/initial.keras"))
        model.layers[1].trainable = true
        #expect(model.trainableVariables.count == 3)
    }
}
