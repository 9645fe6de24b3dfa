import Foundation
import Testing
@testable import Keras

/// One loaded model shared by many concurrent tasks (a Swift 6 server's handlers): every task's predictions equal
/// the serial ones, which equal Keras's. CI also runs this suite under the thread sanitizer (`.ci/run`).
struct ConcurrentInferenceTests {
    /// A model read by many tasks at once, each predicting the whole input with its own batch size.
    func expectConcurrentEqualsSerial(_ path: String, _ x: Tensor, keras: Tensor, tasks: Int = 8) async throws {
        let serial = try Model.load(from: path).predict(x, batchSize: 128)
        expectAllClose(serial, keras, "serial predictions of \(path)")

        let shared = try InferenceModel(loading: path)
        let results = try await withThrowingTaskGroup(of: (Int, Tensor).self) { group in
            for task in 0..<tasks {
                group.addTask { (task, try shared.predict(x, batchSize: [128, 64, 500, 7][task % 4])) }
            }
            var results: [Int: Tensor] = [:]
            for try await (task, y) in group { results[task] = y }
            return results
        }
        #expect(results.count == tasks)
        for (task, y) in results {
            #expect(y.shape == serial.shape && y.scalars == serial.scalars, "task \(task) differs from the serial predictions")
        }
    }

    @Test func manyTasksPredictingWithTheSeedModelGetTheSerialResult() async throws {
        let data = try MNIST.read(fixture("seed/mnist_test_500.npz"))
        let x = MNIST.preprocess(data.xTest)
        let keras = try NPY.read(path: fixture("seed/seed_mnist.output.npy")).tensor()
        try await expectConcurrentEqualsSerial(fixture("seed/seed_mnist.keras"), x, keras: keras)
    }

    @Test func manyTasksPredictingWithAConvolutionGetTheSerialResult() async throws {
        let name = "layers/conv/separable_conv2d_same_stride"
        try await expectConcurrentEqualsSerial(fixture("\(name).keras"), try NPY.read(path: fixture("\(name).input.npy")).tensor(),
                                               keras: try NPY.read(path: fixture("\(name).output.npy")).tensor())
    }

    @Test func aModelThatCannotRunIsNotShared() throws {
        #expect(throws: ShapeError.self) { try InferenceModel(try Sequential([Dense(3)])) }
    }
}
