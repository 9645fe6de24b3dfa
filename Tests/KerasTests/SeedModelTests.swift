import Foundation
import Testing
@testable import Keras

/// The bundled seed model (trained by Python Keras on MNIST) on the bundled 500 test images.
struct SeedModelTests {
    @Test func predictsKerasLogitsAndAccuracyOnTheBundledSlice() throws {
        let model = try Model.load(from: fixture("seed/seed_mnist.keras"))
        let data = try MNIST.read(fixture("seed/mnist_test_500.npz"))
        let x = MNIST.preprocess(data.xTest)
        let labels = data.yTest.scalars
        #expect(model.inferenceRunsConcurrently)   // batches after the first run side by side, one per core
        let logits = try model.predict(x, batchSize: 128)
        expectAllClose(logits, try NPY.read(path: fixture("seed/seed_mnist.output.npy")).tensor(), "seed model logits")
        let result = try JSON.parse(Array(FileManager.default.contents(atPath: fixture("seed/keras_result.json")) ?? Data()))
        let accuracy = Double(zip(logits.argmaxLastAxis(), labels).filter { Float($0) == $1 }.count) / Double(labels.count)
        #expect(accuracy == result["accuracy_first_500"]?.doubleValue)
    }

    @Test func summaryMatchesKerasText() throws {
        let model = try Model.load(from: fixture("seed/seed_mnist.keras"))
        let keras = kerasSummary("seed_file_summary.txt")
        #expect(model.summary() == keras)
        #expect(model.summary().contains("531,466"))
    }

    @Test func theSeedBuiltInSwiftHasKerasShapesAndParameterCount() throws {
        let model = try Sequential([Input(shape: [784]), Dense(256), Antirectifier(), Dense(256), Antirectifier(), Dropout(0.5), Dense(10)])
        #expect(model.totalParameterCount == 531_466)
        #expect(model.layers.map(\.name) == ["dense", "antirectifier", "dense_1", "antirectifier_1", "dropout", "dense_2"])
        let keras = kerasSummary("seed_summary.txt")
        #expect(model.summary() == keras)
    }

    @Test func aBatchNormalizationSummaryCountsNonTrainableStatisticsAndWrapsLongNamesAsKerasDoes() throws {
        let model = try Model.load(from: fixture("layers/norm/batchnorm_conv.keras"))
        #expect(model.summary() == kerasSummary("layers/norm/batchnorm_conv.summary.txt"))
    }
}

/// Keras's `model.summary()` text captured with `print_fn` (its chunks end in a newline; the table does not).
func kerasSummary(_ file: String) -> String {
    let path = file.contains("/") ? fixture(file) : fixture("formats/\(file)")
    let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    return String(text.reversed().drop { $0 == "\n" }.reversed())
}
