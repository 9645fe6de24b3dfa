import ArgumentParser
import Keras

/// `keras evaluate MODEL …`: the loss and metrics of a compiled model on data.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Compute a compiled model's loss and metrics on .npy arrays or the MNIST test set.")

    @Argument(help: "A .keras model saved with a compile_config.")
    var model: String

    @OptionGroup var data: TrainingDataOptions

    @Option(help: "Samples per batch.") var batchSize: Int = 32
    @Flag(help: "Print {\"loss\": …, \"<metric>\": …} as JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            let loaded = try loadModel(model)
            printWarnings(loaded)
            guard loaded.isCompiled else {
                throw ValidationError(loaded.compileProblem.map { "\(model): \($0)" } ?? "\(model) has no compile_config with a loss: it cannot be evaluated")
            }
            let (x, y) = try data.load(for: loaded, split: .test)
            let logs = try loaded.evaluate(x: x, y: y, batchSize: batchSize)
            print(json ? jsonObject(logs).serialized() : logs.pairs.map { "\($0.0): \($0.1)" }.joined(separator: " - "))
        }
    }
}
