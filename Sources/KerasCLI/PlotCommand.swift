import ArgumentParser
import Foundation
import Keras

/// `keras plot MODEL --output model.svg`: the diagram `keras.utils.plot_model` draws, rendered by Graphviz.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a model's layers and connections, as keras.utils.plot_model does (Graphviz).",
        discussion: "The output's extension picks the format: .svg, .png and .pdf are rendered by Graphviz's `dot` "
            + "(Debian's graphviz package); .dot writes the Graphviz text itself.")

    @Argument(help: "A .keras (or Keras 2 .h5) model file.")
    var model: String

    @Option(help: "Where to write the diagram: .svg, .png, .pdf or .dot (written atomically).")
    var output: String

    @Flag(help: "Show each layer's input and output shapes.")
    var showShapes = false

    @Flag(help: "Show each layer's output dtype.")
    var showDtype = false

    @Flag(help: "Show the activation of layers that have one (Dense, convolutions, Activation).")
    var showLayerActivations = false

    @Flag(help: "Show whether each layer with weights is trainable.")
    var showTrainable = false

    @Flag(help: "Show only each layer's class, not its name.")
    var hideLayerNames = false

    @Option(help: "TB (top to bottom) or LR (left to right).")
    var rankdir = "TB"

    @Flag(help: "Draw nested models as clusters of their layers.")
    var expandNested = false

    @Option(help: "Resolution of .png output, in dots per inch.")
    var dpi = 200

    func validate() throws {
        guard ["TB", "LR"].contains(rankdir) else { throw ValidationError("--rankdir must be TB or LR, not '\(rankdir)'") }
        guard dpi > 0, dpi <= 2400 else { throw ValidationError("--dpi must be between 1 and 2400, not \(dpi)") }
        guard ["svg", "png", "pdf", "dot"].contains(format) else {
            throw ValidationError("--output must end in .svg, .png, .pdf or .dot, not '\(output)'")
        }
    }

    var format: String { (output as NSString).pathExtension.lowercased() }

    func run() throws {
        try runReportingErrors {
            let options = PlotOptions(showShapes: showShapes, showDtype: showDtype, showLayerNames: !hideLayerNames,
                                      showLayerActivations: showLayerActivations, showTrainable: showTrainable,
                                      rankdir: rankdir, expandNested: expandNested, dpi: dpi)
            let text = try loadModel(model).dot(options, forVectorOutput: format == "svg" || format == "pdf")
            if format == "dot" {
                try AtomicFile.write(Array(text.utf8), to: output)
            } else {
                try AtomicFile.write(try Graphviz.render(text, format: format), to: output)
            }
        }
    }
}

/// Graphviz's `dot` program, found on the PATH.
enum Graphviz {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "Graphviz's `dot` program is not installed (Debian: apt-get install graphviz); "
                + "or write the Graphviz text with --output NAME.dot"
        }
    }

    struct Failed: Error, CustomStringConvertible {
        let status: Int32
        let message: String
        var description: String { "Graphviz's dot failed (status \(status)): \(message)" }
    }

    /// `dot`'s output for `text` in `format` (svg, png, pdf).
    static func render(_ text: String, format: String) throws -> [UInt8] {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { throw Missing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-T\(format)"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        (process.standardInput, process.standardOutput, process.standardError) = (input, output, errors)
        try process.run()
        // Write on another thread: dot may fill its output pipe before it has read all of its input.
        let writer = Thread { input.fileHandleForWriting.write(Data(text.utf8)); try? input.fileHandleForWriting.close() }
        writer.start()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, !bytes.isEmpty else {
            throw Failed(status: process.terminationStatus,
                         message: String(decoding: message, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "")
        }
        return [UInt8](bytes)
    }
}
