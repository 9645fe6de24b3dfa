import ArgumentParser
import Foundation
import Keras

/// `keras`: read, run, train and convert Keras model files.
struct KerasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keras",
        abstract: "Read, run and train Keras models (.keras files) without Python.",
        subcommands: [SummaryCommand.self, PredictCommand.self, EvaluateCommand.self, FitCommand.self, ConvertCommand.self,
                      PlotCommand.self]
    )
}

/// Runs a command body, turning any error into one `error: …` line on stderr and exit code 1.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        let message = "\(error)"
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        throw ExitCode.failure
    }
}

/// Loads the model at `path` with the built-in layers.
func loadModel(_ path: String) throws -> Model {
    try Model.load(from: path, registry: .builtins)
}

/// Prints load warnings (e.g. skipped optimizer state) to stderr.
func printWarnings(_ model: Model) {
    for w in model.loadWarnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
}
