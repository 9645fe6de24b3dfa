import Foundation
import Testing
@testable import Keras

/// Each case in `Fixtures/masked_losses` (`tools/make_masked_loss_fixtures.py`): a compiled model whose output carries
/// a mask (Embedding `mask_zero`, Masking → a recurrent layer returning sequences → Dense / TimeDistributed, also
/// through a nested Sequential model), trained by Keras with `fit(validation_data:, shuffle: false)` and evaluated on
/// padded sequences. Keras weights each step's loss by the mask (and evaluate's metrics); Swift must log the same
/// history, reach the same weights and evaluate to the same numbers, at the tolerances of `KerasFixtureTrainingTests`.
struct MaskedLossTests {
    static let cases = FixtureCases<String> { try FixtureCases.names(in: "masked_losses") }

    @Test func everyCaseIsFound() throws {
        try Self.cases.expectFound(atLeast: 5, "Fixtures/masked_losses")
    }

    @Test("fit and evaluate weight the loss and metrics by the output's mask as Keras does", arguments: cases.all)
    func fitAndEvaluateMatchKeras(_ name: String) throws {
        let folder = fixture("masked_losses/\(name)")
        func array(_ file: String) throws -> Tensor? {
            FileManager.default.fileExists(atPath: "\(folder)/\(file).npy") ? try NPY.read(path: "\(folder)/\(file).npy").tensor() : nil
        }
        let logged = try JSON.parse(Array(FileManager.default.contents(atPath: "\(folder)/history.json") ?? Data()))
        let batchSize = logged["batch_size"]?.intValue ?? 0, epochs = logged["epochs"]?.intValue ?? 0
        let (x, y, xVal, yVal) = try (array("x"), array("y"), array("x_val"), array("y_val"))
        let (weights, validationWeights) = try (array("sample_weight"), array("val_sample_weight"))
        guard let x, let y, let xVal, let yVal, batchSize > 0, epochs > 0 else {
            Issue.record("\(name): incomplete fixture")
            return
        }

        let model = try Model.load(from: "\(folder)/initial.keras")
        let history = try model.fit(x: x, y: y, batchSize: batchSize, epochs: epochs, validationData: (xVal, yVal),
                                    shuffle: false, sampleWeight: weights)
        for (metric, values) in logged["history"]?.objectValue ?? JSONObject() {
            let expected = values.arrayValue?.compactMap(\.doubleValue) ?? []
            #expect(history[metric].count == expected.count, "\(name): \(metric) has \(history[metric].count) epochs, Keras \(expected.count)")
            for (epoch, (got, want)) in zip(history[metric], expected).enumerated() {
                #expect(abs(got - want) <= 1e-4 * max(1, abs(want)), "\(name): \(metric) at epoch \(epoch + 1) is \(got), Keras logged \(want)")
            }
        }
        let keras = try Model.load(from: "\(folder)/final.keras")
        #expect(model.allWeights.count == keras.allWeights.count)
        for (i, (mine, theirs)) in zip(model.allWeights, keras.allWeights).enumerated() {
            expectAllClose(mine.value, theirs.value, "\(name) weight \(i) (\(mine.name))")
        }

        let evaluated = try model.evaluate(x: xVal, y: yVal, batchSize: batchSize, sampleWeight: validationWeights)
        let expected = logged["evaluate"]?.objectValue ?? JSONObject()
        #expect(expected.count > 0, "\(name): no evaluate results in history.json")
        for (metric, value) in expected {
            let (got, want) = (evaluated[metric] ?? .nan, value.doubleValue ?? .nan)
            #expect(abs(got - want) <= 1e-4 * max(1, abs(want)), "\(name): evaluate \(metric) is \(got), Keras \(want)")
        }

        // The fixture can tell: the loss with the mask ignored is not Keras's.
        let prediction = try model.predict(xVal, batchSize: batchSize)
        let loss = try #require(model.loss)
        let unmasked = try loss(yTrue: yVal, yPred: prediction, sampleWeight: validationWeights).scalar
        let kerasLoss = expected["loss"]?.doubleValue ?? .nan
        #expect(abs(Double(unmasked) - kerasLoss) > 1e-3 * max(1, abs(kerasLoss)), "\(name): the unmasked loss \(unmasked) is Keras's \(kerasLoss)")
    }

    /// The reduction alone, against numbers worked out from Keras's `apply_mask`: the masked steps count for nothing
    /// and the sum is divided by the number of unmasked steps, each weighted by its sample weight.
    @Test func maskedReductionDividesByTheUnmaskedSteps() throws {
        let yPred = Tensor(shape: [2, 2, 1], scalars: [1, 2, 3, 4])
        let yTrue = Tensor(shape: [2, 2, 1], scalars: [0, 0, 0, 0])
        let mask = Tensor(shape: [2, 2], scalars: [1, 0, 1, 1])
        // Squared errors 1, 4, 9, 16; unmasked: 1, 9, 16.
        #expect(try Loss.meanSquaredError(yTrue: yTrue, yPred: yPred, sampleWeight: nil, mask: mask).scalar == 26 / 3)
        let perStep = Tensor(shape: [2, 2], scalars: [2, 5, 1, 0.5])
        #expect(try Loss.meanSquaredError(yTrue: yTrue, yPred: yPred, sampleWeight: perStep, mask: mask).scalar == (2 + 9 + 8) / 3)
        let perSample = Tensor(shape: [2], scalars: [3, 1])
        #expect(try Loss.meanSquaredError(yTrue: yTrue, yPred: yPred, sampleWeight: perSample, mask: mask).scalar == (3 + 9 + 16) / 3)
        // Everything masked: 0, as Keras's divide_no_nan gives.
        #expect(try Loss.meanSquaredError(yTrue: yTrue, yPred: yPred, sampleWeight: nil, mask: Tensor.zeros([2, 2])).scalar == 0)
        #expect(throws: ShapeError.self) {
            try Loss.meanSquaredError(yTrue: yTrue, yPred: yPred, sampleWeight: nil, mask: Tensor.zeros([2]))
        }
    }
}

/// What Keras refuses with sequence targets is refused with a clear error.
struct MaskedLossErrorTests {
    @Test func classWeightOnClassIdsPerStepIsRefused() throws {
        let model = try Model.load(from: fixture("masked_losses/embedding_lstm_sparse_sgd/initial.keras"))
        let x = try NPY.read(path: fixture("masked_losses/embedding_lstm_sparse_sgd/x.npy")).tensor()
        let y = try NPY.read(path: fixture("masked_losses/embedding_lstm_sparse_sgd/y.npy")).tensor()
        let error = #expect(throws: TrainingError.self) { try model.fit(x: x, y: y, batchSize: 8, classWeight: [0: 1, 1: 2]) }
        #expect(error?.description.contains("class_weight needs one class id per sample") == true)
    }
}
