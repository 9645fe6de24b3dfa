import Testing
@testable import Keras

/// `compile` checks its per-output lists, and a change of `trainable` after the optimizer was built is never
/// ignored.
struct CompileStateTests {
    static func model() throws -> Sequential {
        try Sequential([Input(shape: [3]), Dense(4, activation: .relu, name: "hidden"), Dense(2, name: "head")])
    }

    @Test func compileWithoutLossesIsRefused() throws {
        let m = try Self.model()
        #expect(throws: TrainingError.self) { try m.compile(optimizer: SGD(), losses: []) }
        #expect(!m.isCompiled)
        #expect(throws: TrainingError.self) { try m.compile(optimizer: SGD(), losses: [.meanSquaredError, .meanAbsoluteError]) }
        #expect(throws: TrainingError.self) { try m.compile(optimizer: SGD(), losses: [.meanSquaredError], lossWeights: [1, 2]) }
        try m.compile(optimizer: SGD(), losses: [.meanAbsoluteError])
        #expect(m.loss == .meanAbsoluteError)
    }

    @Test func freezingAfterTrainingNeedsARecompile() throws {
        let m = try Self.model()
        m.compile(optimizer: Adam(), loss: .meanSquaredError)
        let x = Tensor(shape: [4, 3], scalars: (0..<12).map { Float($0) / 10 })
        let y = Tensor(shape: [4, 2], scalars: (0..<8).map { Float($0) / 8 })
        try m.fit(x: x, y: y, batchSize: 2, epochs: 1, shuffle: false)
        m.layers[0].trainable = false
        let error = #expect(throws: TrainingError.self) { try m.fit(x: x, y: y, batchSize: 2, epochs: 1, shuffle: false) }
        #expect(error?.description.contains("hidden") == true)
        #expect(error?.description.contains("compile again") == true)
        let frozen = m.layers[0].weights.map(\.value.scalars)
        try m.recompile()
        #expect(m.optimizer?.iterations == 0)
        try m.fit(x: x, y: y, batchSize: 2, epochs: 1, shuffle: false)
        #expect(m.layers[0].weights.map(\.value.scalars) == frozen)
        #expect(m.optimizer?.slotVariables.count == 4)
    }
}

/// An OrthogonalRegularizer on a kernel of rank 4 does not stop loading or predicting; training says why, as Keras
/// fails only when it computes the penalty.
struct RegularizerShapeTests {
    @Test func orthogonalOnAConvKernelFailsAtTraining() throws {
        let conv = Conv2D(2, kernelSize: [2, 2], kernelRegularizer: .orthogonal(factor: 0.1, mode: .rows))
        let model = try Sequential([Input(shape: [3, 3, 1]), conv, Flatten(), Dense(1)])
        let x = Tensor.zeros([2, 3, 3, 1])
        #expect(try model.predict(x).shape == [2, 1])
        model.compile(optimizer: SGD(), loss: .meanSquaredError)
        let error = #expect(throws: ShapeError.self) { try model.fit(x: x, y: Tensor.zeros([2, 1])) }
        #expect(error.map { "\($0)".contains("OrthogonalRegularizer needs a weight of rank 2") } == true)
    }
}

/// `weighted_metrics` in a file are read (single output) and written back; a model with several outputs and
/// weighted metrics loads uncompiled with a warning instead of training without them.
struct WeightedMetricsTests {
    @Test func weightedMetricsAreReadAndWritten() throws {
        let files = try BrokenFiles()
        defer { files.remove() }
        let path = try files.editConfig(fixture("training/adam_sparse/initial.keras"), as: "weighted.keras") {
            $0.replacingOccurrences(of: "\"weighted_metrics\": null", with: "\"weighted_metrics\": [\"accuracy\"]")
        }
        let model = try Model.load(from: path)
        #expect(model.isCompiled)
        #expect(model.weightedMetrics.map(\.name) == ["accuracy"])
        try model.recompile()
        #expect(CompileConfig.serialized(for: model)["weighted_metrics"] == .array([.string("accuracy")]))
    }
}
