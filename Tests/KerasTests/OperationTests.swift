import Foundation
import Testing
@testable import Keras

/// `keras.ops` calls in Functional graphs beyond what `Fixtures/layers/ops` predicts: an unknown operation is refused
/// with the list of supported ones, and graphs with operations (several outputs included: `split`, `top_k`,
/// `unstack`) save and reload unchanged.
struct OperationTests {
    static let inferenceCases = ["ops_elementwise", "ops_binary", "ops_reductions", "ops_shapes", "ops_indexing", "ops_split_output"]

    @Test func anUnknownOperationIsRefusedWithTheSupportedOnes() throws {
        let files = try BrokenFiles()
        defer { files.remove() }
        let path = try files.editConfig(fixture("layers/ops/ops_shapes.keras"), as: "unknown.keras") {
            $0.replacingOccurrences(of: "\"class_name\": \"Tile\"", with: "\"class_name\": \"Frobnicate\"")
        }
        let supported = KerasOperation.supported
        #expect(supported.count > 100 && ["GetItem", "Split", "TopK", "Where", "Cast", "Cumsum"].allSatisfy(supported.contains))
        do {
            _ = try Model.load(from: path)
            Issue.record("a model with an unknown operation loaded")
        } catch {
            let message = "\(error)"
            #expect(message.contains("operation 'tile' (keras.src.ops.numpy.Frobnicate) is not supported (supported operations: \(supported.joined(separator: ", ")))"), "\(message)")
        }
    }

    @Test func aReductionOverEveryAxisIsRefusedWithWhy() throws {
        let files = try BrokenFiles()
        defer { files.remove() }
        let path = try files.editConfig(fixture("layers/ops/ops_reductions.keras"), as: "flat.keras") {
            $0.replacingOccurrences(of: "{\"name\": \"sum\", \"axis\": 1,", with: "{\"name\": \"sum\", \"axis\": null,")
                .replacingOccurrences(of: "{\"name\": \"argmax\", \"axis\": -1,", with: "{\"name\": \"argmax\", \"axis\": null,")
        }
        #expect(throws: (any Error).self) { try Model.load(from: path) }
        do { _ = try Model.load(from: path) } catch {
            let message = "\(error)"
            #expect(message.contains("operation 'sum' (keras.src.ops.numpy.Sum): reducing over every axis (the batch included) is not supported"), "\(message)")
            #expect(message.contains("operation 'argmax' (keras.src.ops.numpy.Argmax): axis=None (the flattened tensor, the batch axis included) is not supported"), "\(message)")
        }
    }

    @Test("a graph with operations saves and reloads with the same config and predictions", arguments: inferenceCases)
    func saveRoundTrip(_ name: String) throws {
        let path = fixture("layers/ops/\(name).keras")
        let model = try Model.load(from: path)
        let files = try BrokenFiles()
        defer { files.remove() }
        let copy = try files.write("copy.keras", try model.kerasFileBytes())
        let (a, b) = (try JSON.parse(KerasArchive(path: path).configBytes), try JSON.parse(KerasArchive(path: copy).configBytes))
        let difference = Self.firstDifference(SaveRoundTripTests.canonical(a), SaveRoundTripTests.canonical(b), at: "config")
        #expect(difference == nil, "\(name): config changed on re-save at \(difference ?? "")")
        let reloaded = try Model.load(from: copy)
        let xs = try (0..<model.inputShapes.count).map { j in
            try NPY.read(path: fixture("layers/ops/\(name).input\(model.inputShapes.count == 1 ? "" : "_\(j)").npy")).tensor()
        }
        expectAllClose(try reloaded.predict(xs)[0], try NPY.read(path: fixture("layers/ops/\(name).output.npy")).tensor(), name)
    }

    @Test("summary prints Keras's table: several outputs as a list, tensor indices in \"Connected to\"",
          arguments: ["ops_shapes", "ops_reductions"])
    func summaryMatchesKeras(_ name: String) throws {
        let model = try Model.load(from: fixture("layers/ops/\(name).keras"))
        #expect(model.summary() == kerasSummary("layers/ops/\(name).summary.txt"))
    }

    /// Where two JSON values first differ (a path and both values, briefly), nil when equal.
    static func firstDifference(_ a: JSON, _ b: JSON, at path: String) -> String? {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in Set(x.keys).union(y.keys).sorted() {
                if let d = firstDifference(x[key] ?? .null, y[key] ?? .null, at: "\(path).\(key)") { return d }
            }
            return nil
        case (.array(let x), .array(let y)) where x.count == y.count:
            return zip(x, y).enumerated().lazy.compactMap { firstDifference($0.element.0, $0.element.1, at: "\(path)[\($0.offset)]") }.first
        default:
            return a == b ? nil : "\(path): \(a.brief) ≠ \(b.brief)"
        }
    }
}
