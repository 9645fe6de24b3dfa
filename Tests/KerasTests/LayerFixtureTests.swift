import Foundation
import Testing
@testable import Keras

/// Per-layer fixtures from real Keras, found by walking the folders, so a new case needs no Swift code:
/// - `Fixtures/layers/<family>/<case>.keras` with `<case>.input.npy` (or `<case>.input_0.npy`, `<case>.input_1.npy` …
///   for several inputs) and `<case>.output.npy` (or `<case>.output_0.npy` … for several outputs; Keras's `predict`);
/// - `Fixtures/layer_training/<case>/`: `initial.keras`, `x.npy`, `y.npy`, `final.keras` after three optimizer steps,
///   `history.json` — the same layout as `Fixtures/training`.
struct LayerFixtureTests {
    /// `family/case` for every `.keras` file under `Fixtures/layers`.
    static let inferenceCases = FixtureCases<String> {
        try FixtureCases.names(in: "layers").flatMap { family in
            try FixtureCases.names(in: "layers/\(family)") { $0.hasSuffix(".keras") }.map { "\(family)/\($0.dropLast(6))" }
        }
    }

    static let trainingCases = FixtureCases<String> { try FixtureCases.names(in: "layer_training") }

    @Test func theFixturesAreFound() throws {
        try Self.inferenceCases.expectFound(atLeast: 66, "Fixtures/layers")
        try Self.trainingCases.expectFound(atLeast: 12, "Fixtures/layer_training")
    }

    @Test("Swift predicts Keras's outputs within rtol 1e-4, atol 1e-5", arguments: inferenceCases.all)
    func predictsLikeKeras(_ name: String) throws {
        let model = try Model.load(from: fixture("layers/\(name).keras"))
        let exists = { (file: String) in FileManager.default.fileExists(atPath: fixture("layers/\(name).\(file).npy")) }
        // One `output.npy`, or `output_0.npy`, `output_1.npy` … for a model with several outputs.
        let expected = try (exists("output") ? ["output"] : (0..<model.outputCount).map { "output_\($0)" }).map {
            try NPY.read(path: fixture("layers/\(name).\($0).npy")).tensor()
        }
        // One `input.npy`, or `input_0.npy`, `input_1.npy` … for a model with several inputs.
        let xs = try (exists("input") ? ["input"] : (0..<model.inputShapes.count).map { "input_\($0)" }).map {
            try NPY.read(path: fixture("layers/\(name).\($0).npy")).tensor()
        }
        let outputs = try model.predict(xs)
        #expect(outputs.count == expected.count, "\(name): \(outputs.count) outputs, Keras saved \(expected.count)")
        for (j, (got, want)) in zip(outputs, expected).enumerated() { expectAllClose(got, want, "\(name) output \(j)") }
    }

    @Test("three optimizer steps reach Keras's weights and slots", arguments: trainingCases.all)
    func threeStepsMatchKeras(_ name: String) throws {
        try expectThreeStepsMatchKeras(fixture("layer_training/\(name)"), name)
    }
}
