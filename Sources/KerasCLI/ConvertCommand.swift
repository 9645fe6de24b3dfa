import ArgumentParser
import Keras

/// `keras convert IN OUT.keras`: re-saves a model as a Keras 3 `.keras` file.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "convert", abstract: "Re-save a model as a Keras 3 .keras file that Python Keras loads.")

    @Argument(help: "The model to read (.keras).")
    var input: String

    @Argument(help: "The .keras file to write (atomically).")
    var output: String

    func run() throws {
        try runReportingErrors {
            let model = try loadModel(input)
            try model.save(to: output)
        }
    }
}
