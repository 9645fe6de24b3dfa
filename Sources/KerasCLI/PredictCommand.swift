import ArgumentParser
import Foundation
import Keras

/// `keras predict MODEL --input X.npy --output Y.npy`: writes the model's float32 predictions.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict", abstract: "Run a model on inputs from an .npy file and write its predictions as float32 .npy.")

    @Argument(help: "A .keras model file.")
    var model: String

    @Option(help: "Inputs: an .npy array of shape (samples, …) matching the model's input shape (integer arrays for Embedding inputs); float32 files are memory-mapped, not read whole. Repeat it for a model with several inputs, in the model's input order.")
    var input: [String]

    @Option(help: "Where to write the predictions (.npy, float32); written atomically. Repeat it for a model with several outputs, in the model's output order.")
    var output: [String]

    @Option(help: "Samples per batch.")
    var batchSize: Int = 128

    func run() throws {
        try runReportingErrors {
            guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
            let loaded = try loadModel(model)
            printWarnings(loaded)
            let expected = max(1, loaded.inputShapes.count)
            guard input.count == expected else {
                throw ValidationError("the model has \(expected) input\(expected == 1 ? "" : "s"); give --input \(expected == 1 ? "once" : "\(expected) times, in the model's input order"), got \(input.count)")
            }
            guard output.count == loaded.outputCount else {
                throw ValidationError("the model has \(loaded.outputCount) output\(loaded.outputCount == 1 ? "" : "s"); give --output \(loaded.outputCount == 1 ? "once" : "\(loaded.outputCount) times, in the model's output order"), got \(output.count)")
            }
            let x = try input.map { try NPY.samples(path: $0) }   // float32 files are mapped, not read whole
            let y = try loaded.predict(x, batchSize: batchSize)
            for (array, path) in zip(y, output) { try NPY.write(array, to: path) }
        }
    }
}
