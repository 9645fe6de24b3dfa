import ArgumentParser
import Foundation
import Keras

/// `keras fit MODEL …`: trains a model with its compile_config and saves the result.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fit", abstract: "Train a compiled .keras model on .npy arrays or MNIST and save it.")

    @Argument(help: "A .keras model saved with a compile_config (compiled in Python).")
    var model: String

    @OptionGroup var data: TrainingDataOptions

    @Option(help: "Where to save the trained model (.keras, written atomically).")
    var output: String

    @Option(help: "Number of epochs.") var epochs: Int = 1
    @Option(help: "Samples per batch.") var batchSize: Int = 32
    @Option(help: "Fraction of the samples (the last ones, before shuffling) held out for validation.") var validationSplit: Double = 0
    @Flag(help: "Do not shuffle the training samples each epoch.") var noShuffle = false
    @Option(help: "Seed for shuffling and dropout.") var seed: UInt64?
    @Flag(help: "Print one JSON object {\"history\": …, \"epoch_seconds\": …} on stdout; progress goes to stderr.") var json = false
    @Option(help: "Also write the training curves (one panel per logged value, training and validation per epoch) to this .svg file.")
    var plot: String?

    func run() throws {
        try runReportingErrors {
            let loaded = try loadModel(model)
            printWarnings(loaded)
            guard loaded.isCompiled else {
                if let problem = loaded.compileProblem { throw ValidationError("\(model): \(problem)") }
                throw ValidationError("\(model) has no compile_config with a loss and an optimizer: compile it in Python before saving, or build and compile the model in Swift")
            }
            let (x, y) = try data.load(for: loaded, split: .train)
            let progress: ProgressReporter = json ? .automatic(to: .standardError) : .automatic()
            let history = try loaded.fit(x: x, y: y, batchSize: batchSize, epochs: epochs, validationSplit: validationSplit,
                                         shuffle: !noShuffle, seed: seed, progress: progress)
            try loaded.save(to: output)
            if let plot {
                try AtomicFile.write(Array(history.curvesSVG(title: "Training of \((model as NSString).lastPathComponent)").utf8), to: plot)
            }
            if json {
                var h = JSONObject()
                for name in history.names { h[name] = .array(history[name].map { .double($0) }) }
                let out: JSON = .object(["history": .object(h), "epoch_seconds": .array(history.epochSeconds.map { .double($0) })])
                print(out.serialized())
            }
        }
    }
}
