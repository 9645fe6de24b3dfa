import Foundation
import Testing
@testable import Keras
import TensorEngine

/// BatchNormalization's two modes, weight order and saving, Embedding's id checks and the order of non-trainable
/// weights. The numbers themselves are pinned against real Keras by `LayerFixtureTests`
/// (`Fixtures/layers/norm`, `Fixtures/layer_training/norm_*`); these tests pin the behaviour around them.
struct NormalizationLayerTests {
    /// A batch whose statistics differ from the initial moving ones (mean 0, variance 1).
    static let batch = Tensor(shape: [4, 3], scalars: [1, 2, 3, 4, -1, 0.5, 2, 2, 7, -3, 1, 0])

    @Test func batchNormalizationWeightsAreGammaBetaThenTheNonTrainableMovingStatistics() throws {
        let full = BatchNormalization()
        try full.buildIfNeeded(inputShape: [3])
        #expect(full.weights.map(\.name) == ["gamma", "beta", "moving_mean", "moving_variance"])
        #expect(full.weights.map(\.trainable) == [true, true, false, false])
        #expect(full.weights.allSatisfy { $0.shape == [3] })

        let bare = BatchNormalization(center: false, scale: false)
        try bare.buildIfNeeded(inputShape: [3])
        #expect(bare.weights.map(\.name) == ["moving_mean", "moving_variance"])
        let scaleOnly = BatchNormalization(center: false)
        try scaleOnly.buildIfNeeded(inputShape: [3])
        #expect(scaleOnly.weights.map(\.name) == ["gamma", "moving_mean", "moving_variance"])
    }

    @Test func aTrainingCallMovesTheStatisticsAndAnInferenceCallDoesNot() throws {
        let bn = BatchNormalization(momentum: 0.5)
        try bn.buildIfNeeded(inputShape: [3])
        let inference = try bn(Self.batch, training: false)
        #expect(bn.movingMean?.value.scalars == [0, 0, 0] && bn.movingVariance?.value.scalars == [1, 1, 1])

        let trained = try bn(Self.batch, training: true)
        // Batch statistics normalise each feature to mean 0 (the moving ones would not).
        let featureMeans = trained.sum(alongAxis: 0).scalars.map { $0 / 4 }
        #expect(featureMeans.allSatisfy { abs($0) < 1e-5 }, "\(featureMeans)")
        #expect(trained.scalars != inference.scalars)
        // moving = moving · momentum + batch · (1 − momentum), with the batch's biased variance.
        let mean = Self.batch.sum(alongAxis: 0).scalars.map { $0 / 4 }
        let variance = (0..<3).map { j in (0..<4).map { i in pow(Self.batch.scalars[i * 3 + j] - mean[j], 2) }.reduce(0, +) / 4 }
        expectAllClose(try #require(bn.movingMean).value, Tensor(shape: [3], scalars: mean.map { 0.5 * $0 }), "moving_mean")
        expectAllClose(try #require(bn.movingVariance).value, Tensor(shape: [3], scalars: variance.map { 0.5 + 0.5 * $0 }), "moving_variance")
    }

    @Test func aFrozenBatchNormalizationRunsInInferenceModeEvenWhenTraining() throws {
        let bn = BatchNormalization()
        try bn.buildIfNeeded(inputShape: [3])
        bn.trainable = false
        #expect(bn.weights.allSatisfy { !$0.trainable })
        let inference = try bn(Self.batch, training: false)
        let training = try bn(Self.batch, training: true)
        #expect(training.scalars == inference.scalars)
        #expect(bn.movingMean?.value.scalars == [0, 0, 0])
        bn.trainable = true
        #expect(bn.weights.map(\.trainable) == [true, true, false, false])
    }

    @Test func batchNormalizationOnTheBatchAxisOrOutOfRangeIsAShapeErrorNotATrap() throws {
        for axis in [0, 2, -3] {
            #expect(throws: ShapeError.self) { try BatchNormalization(axis: axis)(Self.batch) }
        }
        #expect(throws: ShapeError.self) { try LayerNormalization(axes: [1, -1])(Self.batch) }
        #expect(throws: ShapeError.self) { try Softmax(axis: 0)(Self.batch) }
        #expect(throws: ShapeError.self) { try Softmax(axes: [1, 4])(Self.batch) }
    }

    @Test func movingStatisticsGetNoOptimizerSlotsAndAreSavedInKerasOrder() throws {
        let model = try Sequential([Input(shape: [3]), Dense(4, useBias: false), BatchNormalization(), Dense(2)])
        model.compile(optimizer: Adam(), loss: .sparseCategoricalCrossentropy(fromLogits: true))
        _ = try model.fit(x: Self.batch, y: Tensor(shape: [4], scalars: [0, 1, 1, 0]), batchSize: 4, epochs: 1)
        // Trainable: kernel, gamma, beta, kernel, bias — Adam keeps two slots for each, none for the statistics.
        #expect(model.trainableVariables.map(\.name) == ["kernel", "gamma", "beta", "kernel", "bias"])
        #expect(model.optimizer?.slotVariables.count == 10)
        #expect(model.summary().contains(" Non-trainable params: 8 (32.00 B)"), "\(model.summary())")

        let folder = try BrokenFiles()
        defer { folder.remove() }
        let path = folder.path("bn.keras")
        try model.save(to: path)
        let loaded = try Model.load(from: path)
        #expect(loaded.allWeights.map(\.name) == model.allWeights.map(\.name))
        #expect(loaded.allWeights.map(\.trainable) == model.allWeights.map(\.trainable))
        for (a, b) in zip(loaded.allWeights, model.allWeights) { #expect(a.value.scalars == b.value.scalars, "\(a.name)") }
        #expect(loaded.optimizer?.slotVariables.count == 10)
        // The weights file holds every variable, moving statistics included, as vars/0 … vars/3.
        let stored = try WeightStore(archive: KerasArchive(path: path)).datasets(inVars: "layers/batch_normalization/vars")
        #expect(stored.keys.sorted() == ["0", "1", "2", "3"])
    }

    /// A layer that creates a non-trainable weight before a trainable one, as a custom layer may.
    final class CounterThenScale: Layer {
        override func build(inputShape: [Int]) throws {
            try addWeight(name: "count", shape: [1], initializer: .zeros, trainable: false)
            try addWeight(name: "scale", shape: inputShape, initializer: .ones)
        }
        override func call(_ inputs: Tensor, training: Bool) throws -> Tensor { inputs }
    }

    @Test func trainableWeightsComeFirstWhateverTheCreationOrderAsKerasSavesThem() throws {
        let layer = CounterThenScale()
        try layer.buildIfNeeded(inputShape: [3])
        #expect(layer.weights.map(\.name) == ["scale", "count"])
        layer.trainable = false
        layer.trainable = true
        #expect(layer.weights.map(\.trainable) == [true, false])
    }

    @Test("an id outside 0..<input_dim, fractional or NaN is an error naming it", arguments: [7, -1, 1.5, Float.nan])
    func embeddingRefusesBadIds(_ bad: Float) throws {
        let embedding = Embedding(inputDim: 7, outputDim: 2)
        let ids = Tensor(shape: [2, 2], scalars: [0, 6, bad, 3])
        let error = try #require(throws: ShapeError.self) { try embedding(ids) }
        #expect("\(error)".contains("input \(bad) at flat index 2 is not an id in 0..<7"), "\(error)")
    }

    @Test func embeddingGradientsAddUpForRepeatedIds() throws {
        let embedding = Embedding(inputDim: 4, outputDim: 2)
        let ids = Tensor(shape: [1, 3], scalars: [2, 0, 2])
        try embedding.buildIfNeeded(inputShape: [3])
        let tape = GradientTape(watching: embedding.weights)
        defer { tape.stop() }
        let rows = try embedding(ids, training: true)
        #expect(tape.gradients(of: rows.sum()).first?.scalars == [1, 1, 0, 0, 2, 2, 0, 0])
    }
}
