import Foundation
import Testing
@testable import Keras
import TensorEngine

/// The attention layers beyond what the Keras fixtures pin: building them in Swift with tensors by keyword, saving
/// and reloading such graphs, dropout in training, and clear errors for equations Keras refuses.
struct AttentionLayerTests {
    /// A random batch of `shape`.
    func batch(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return Tensor(shape: shape, scalars: rng.normal(count: shape.reduce(1, *), mean: 0, stddev: 1))
    }

    @Test func aGraphWithKeywordTensorsAndTwoOutputsSavesAndReloads() throws {
        let query = Input(shape: [4, 6]), value = Input(shape: [5, 6]), mask = Input(shape: [4, 5])
        let mha = MultiHeadAttention(numHeads: 2, keyDim: 3)
        let outputs = try mha(LayerCall(positional: [query.kerasTensor, value.kerasTensor], keywords: ["attention_mask": mask.kerasTensor],
                                        options: ["use_causal_mask": .bool(true), "return_attention_scores": .bool(true)]))
        #expect(outputs.map(\.shape) == [[4, 6], [2, 4, 5]])
        let model = try Functional(inputs: [query, value, mask], outputs: outputs)
        let xs = [batch([2, 4, 6], seed: 1), batch([2, 5, 6], seed: 2), Tensor(shape: [2, 4, 5], scalars: (0..<40).map { Float($0 % 3 == 0 ? 0 : 1) })]
        let before = try model.predict(xs)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mha-\(UUID().uuidString).keras").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let reloaded = try Model.load(from: path)
        let after = try reloaded.predict(xs)
        #expect(after.count == 2)
        for (a, b) in zip(after, before) { expectAllClose(a, b, "reloaded output") }
        // Causal: each query position's scores on later key positions are 0.
        let scores = before[1]
        for position in 0..<4 { #expect(scores.scalars[position * 5 + position + 1..<position * 5 + 5].allSatisfy { $0 == 0 }) }
    }

    @Test func dropoutActsOnlyInTraining() throws {
        let mha = MultiHeadAttention(numHeads: 2, keyDim: 3, dropout: 0.5, seed: 3)
        let plain = MultiHeadAttention(numHeads: 2, keyDim: 3)
        let x = batch([2, 4, 6], seed: 4)
        let inference = try mha([x, x])
        try plain.buildIfNeeded(inputShapes: [[4, 6], [4, 6]])
        for (mine, other) in zip(plain.weightsIncludingSublayers, mha.weightsIncludingSublayers) { try mine.assign(other.value) }
        expectAllClose(inference, try plain([x, x]), "dropout is the identity at inference")
        let training = try mha([x, x], training: true)
        #expect(zip(training.scalars, inference.scalars).contains { abs($0 - $1) > 1e-4 })
    }

    @Test func attentionScoresOfAPaddedValueAreZero() throws {
        let layer = Attention()
        let q = batch([1, 3, 4], seed: 5), v = batch([1, 2, 4], seed: 6)
        let out = try layer(LayerCall(positional: [q, v], options: ["return_attention_scores": .bool(true)]),
                            masks: LayerCall(positional: [nil, Tensor(shape: [1, 2], scalars: [1, 0])]))
        #expect(out[1].shape == [1, 3, 2])
        #expect((0..<3).allSatisfy { out[1].scalars[$0 * 2 + 1] == 0 && abs(out[1].scalars[$0 * 2] - 1) < 1e-6 })
    }

    @Test func einsumDenseRefusesEquationsKerasRefuses() {
        for (equation, output) in [("ab,bc", [4]), ("a...b,bc->a...c", [4]), ("ab,cd->ad", [4]), ("ab,bc->az", [4])] as [(String, [Int?])] {
            let layer = EinsumDense(equation, outputShape: output)
            #expect(throws: ShapeError.self, "\(equation)") { try layer.buildIfNeeded(inputShape: [5]) }
        }
    }

    @Test func einsumDenseKernelsDrawWithKerasFans() throws {
        // Keras: fan-in 32 (the input axis), fan-out 8·16 (the output axes), so glorot_uniform's limit is √(6/160).
        let layer = EinsumDense("abc,cde->abde", outputShape: [nil, 8, 16])
        try layer.buildIfNeeded(inputShape: [4, 32])
        let largest = layer.kernel?.value.scalars.map(abs).max() ?? 0
        let limit = Float((6.0 / 160).squareRoot())
        #expect(largest <= limit && largest > 0.9 * limit, "largest |w| \(largest), Keras's limit \(limit)")
    }
}
