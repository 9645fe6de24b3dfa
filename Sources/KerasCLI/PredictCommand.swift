import ArgumentParser
import Foundation
import Keras

/// `keras predict MODEL --input X.npy --output Y.npy`: writes the model's float32 predictions.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict", abstract: "Run a model on inputs from an .npy file and write its predictions as float32 .npy.")

    @Argument(help: "A .keras model file.")
    var model: String

    @Option(help: "Inputs: an .npy array of shape (samples, …) matching the model's input shape.")
    var input: String

    @Option(help: "Where to write the predictions (.npy, float32); written atomically.")
    var output: String

    @Option(help: "Samples per batch.")
    var batchSize: Int = 128

    func run() throws {
        try runReportingErrors {
            guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
            let loaded = try loadModel(model)
            printWarnings(loaded)
            let x = try NPY.read(path: input).tensor()
            let y = try loaded.predict(x, batchSize: batchSize)
            try NPY.write(y, to: output)
        }
    }
}
