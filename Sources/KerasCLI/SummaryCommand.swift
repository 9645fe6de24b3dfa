import ArgumentParser
import Keras

/// `keras summary MODEL`: prints the table of Keras's `model.summary()`.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "Print a model's layers, output shapes and parameter counts.")

    @Argument(help: "A .keras model file.")
    var model: String

    func run() throws {
        try runReportingErrors {
            print(try loadModel(model).summary())
        }
    }
}
