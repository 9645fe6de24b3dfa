import Testing
@testable import Keras

/// Degenerate but legal shapes train without trapping.
struct EdgeCaseTests {
    @Test("a zero-width input trains with every optimizer", arguments: ["sgd", "rmsprop", "adam"])
    func zeroWidthInputTrains(_ name: String) throws {
        let model = try Sequential([Input(shape: [0]), Dense(3), Dense(2)])
        let optimizer: Optimizer = name == "sgd" ? SGD(momentum: 0.9) : name == "rmsprop" ? RMSprop(momentum: 0.5, centered: true) : Adam()
        model.compile(optimizer: optimizer, loss: .sparseCategoricalCrossentropy(fromLogits: true))
        let history = try model.fit(x: Tensor.zeros([4, 0]), y: Tensor(shape: [4], scalars: [0, 1, 0, 1]), batchSize: 2, epochs: 1)
        #expect(history["loss"].count == 1)
    }
}

struct LossShapeErrorTests {
    @Test func oneHotLabelsForASparseLossNameTheExpectedShapeAndTheOtherLoss() throws {
        let loss = Loss.sparseCategoricalCrossentropy(fromLogits: true)
        let error = try #require(throws: ShapeError.self) {
            try loss.perSample(yTrue: Tensor.zeros([4, 3]), yPred: Tensor.zeros([4, 3]))
        }
        #expect("\(error)".contains("expected class indices of shape [4] or [4, 1] (one-hot labels take categorical_crossentropy)"))
    }
}

/// Subnormal floats: flushed to zero inside `predict` and eager layer calls, as Keras's backends compute (the
/// fixtures under `Fixtures/layers/subnormal` hold Keras's outputs), and kept again in the caller's own arithmetic
/// once they return.
struct SubnormalTests {
    let factors: [Float] = [1e-20, 1e-21]   // read at run time: their product, 1e-41, is subnormal

    @Test func predictFlushesAndThenRestoresTheCallersMode() throws {
        let model = try Model.load(from: fixture("layers/subnormal/dense_underflow.keras"))
        let row = Tensor(shape: [1, 4], scalars: [1e-20, 1e-20, 0, 0])   // hidden values of 2e-40 … 6e-40: subnormal
        #expect(try model.predict(row).scalars == [0, 0])
        #expect(try model(row).scalars == [0, 0])
        #expect(factors[0] * factors[1] != 0, "the caller's thread should keep subnormals after predict returns")
    }
}
