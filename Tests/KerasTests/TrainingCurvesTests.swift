import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Keras

/// `History.curvesSVG` (`keras fit --plot`): well-formed SVG with one titled panel per logged quantity, a line
/// per training and validation series with a point per epoch, labelled axes and a legend.
@Suite("Training curves")
struct TrainingCurvesTests {
    /// Collects the elements of an SVG document: each element's name and attributes, and every text's content.
    final class Elements: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var texts: [String] = []
        private var current = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append((name, attributes))
            current = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { texts.append(current) }
        }
    }

    static func history(epochs: Int) -> History {
        var history = History()
        for epoch in 0..<epochs {
            var logs = TrainingLogs()
            logs["loss"] = 1.0 / Double(epoch + 1)
            logs["accuracy"] = 0.5 + 0.1 * Double(epoch)
            logs["val_loss"] = 1.2 / Double(epoch + 1)
            logs["val_accuracy"] = 0.45 + 0.1 * Double(epoch)
            history.append(logs)
        }
        return history
    }

    @Test func panelsLinesAndLegend() throws {
        let svg = Self.history(epochs: 4).curvesSVG(title: "Training & <validation>")
        let parser = XMLParser(data: Data(svg.utf8))
        let elements = Elements()
        parser.delegate = elements
        #expect(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(elements.texts.first == "Training & <validation>")
        #expect(elements.texts.filter { $0 == "loss" }.count == 2)       // panel title and y-axis label
        #expect(elements.texts.filter { $0 == "accuracy" }.count == 2)
        #expect(elements.texts.filter { $0 == "epoch" }.count == 2)
        #expect(elements.texts.filter { $0 == "training" }.count == 2)
        #expect(elements.texts.filter { $0 == "validation" }.count == 2)
        let lines = elements.elements.filter { $0.name == "polyline" }
        #expect(lines.count == 4)
        for line in lines { #expect(line.attributes["points"]?.split(separator: " ").count == 4) }
        #expect(elements.elements.filter { $0.name == "circle" }.count == 16)
        #expect(elements.elements.first?.name == "svg")
    }

    @Test func higherValuesAreDrawnHigher() throws {
        // SVG's y grows downwards: the falling loss must climb down the page, the rising accuracy up.
        let svg = Self.history(epochs: 3).curvesSVG()
        let elements = Elements()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = elements
        #expect(parser.parse())
        let lines = elements.elements.filter { $0.name == "polyline" }.compactMap { $0.attributes["points"] }
        func ys(_ points: String) -> [Double] { points.split(separator: " ").compactMap { Double($0.split(separator: ",")[1]) } }
        let loss = ys(lines[0]), accuracy = ys(lines[2])
        #expect(loss == loss.sorted())                 // y increases: the value falls
        #expect(accuracy == accuracy.sorted(by: >))    // y decreases: the value rises
    }
}
