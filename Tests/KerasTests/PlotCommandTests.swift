import Foundation
import Testing
@testable import Keras

/// `keras plot`: the Graphviz text it writes is the model's diagram; without Graphviz, one error line and no file.
@Suite("keras plot")
struct PlotCommandTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString)-\(name)").path
    }

    @Test func dotOutputIsTheModelsDiagram() throws {
        let output = Self.temporary("model.dot")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let r = try CLIRunner.run(["plot", fixture("functional/nested_sequential.keras"), "--output", output,
                                   "--show-shapes", "--expand-nested", "--rankdir", "LR"])
        #expect(r.status == 0, "\(r.stderr)")
        let model = try Model.load(from: fixture("functional/nested_sequential.keras"))
        let expected = model.dot(PlotOptions(showShapes: true, rankdir: "LR", expandNested: true))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == expected)
    }

    @Test func withoutGraphvizOneErrorLineAndNoFile() throws {
        let output = Self.temporary("model.svg")
        let r = try CLIRunner.run(["plot", fixture("seed/seed_mnist.keras"), "--output", output],
                                  environment: ["PATH": "/nonexistent"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: Graphviz's `dot` program is not installed"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func unknownFormatIsRefused() throws {
        let r = try CLIRunner.run(["plot", fixture("seed/seed_mnist.keras"), "--output", Self.temporary("model.jpg")])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--output must end in .svg, .png, .pdf or .dot"))
    }

    @Test func svgWhenGraphvizIsInstalled() throws {
        // CI installs Graphviz (scripts/bootstrap); tools/check_plots.py renders every fixture there too.
        let hasDot = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/dot") }
        guard hasDot || ProcessInfo.processInfo.environment["CI"] != nil else { return }
        let output = Self.temporary("model.svg")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let r = try CLIRunner.run(["plot", fixture("seed/seed_mnist.keras"), "--output", output])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try String(contentsOfFile: output, encoding: .utf8)
        for layer in ["dense_3", "antirectifier_2", "dense_4", "antirectifier_3", "dropout_1", "dense_5"] {
            #expect(svg.contains(">\(layer)<"), "\(layer) missing from the SVG")
        }
    }
}
