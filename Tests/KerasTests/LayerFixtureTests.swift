import Foundation
import Testing
@testable import Keras

/// Per-layer fixtures from real Keras, found by walking the folders, so a new case needs no Swift code:
/// - `Fixtures/layers/<family>/<case>.keras` with `<case>.input.npy` (or `<case>.input_0.npy`, `<case>.input_1.npy` …
///   for several inputs) and `<case>.output.npy` (Keras's `predict`);
/// - `Fixtures/layer_training/<case>/`: `initial.keras`, `x.npy`, `y.npy`, `final.keras` after three optimizer steps,
///   `history.json` — the same layout as `Fixtures/training`.
struct LayerFixtureTests {
    /// `family/case` for every `.keras` file under `Fixtures/layers`.
    static let inferenceCases: [String] = {
        let root = fixture("layers")
        let families = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
        return families.flatMap { family in
            ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(family)")) ?? [])
                .filter { $0.hasSuffix(".keras") }.sorted().map { "\(family)/\($0.dropLast(6))" }
        }
    }()

    static let trainingCases: [String] = {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixture("layer_training"))) ?? []).sorted()
    }()

    @Test("Swift predicts Keras's outputs within rtol 1e-4, atol 1e-5", arguments: inferenceCases)
    func predictsLikeKeras(_ name: String) throws {
        let model = try Model.load(from: fixture("layers/\(name).keras"))
        let expected = try NPY.read(path: fixture("layers/\(name).output.npy")).tensor()
        if FileManager.default.fileExists(atPath: fixture("layers/\(name).input.npy")) {
            let x = try NPY.read(path: fixture("layers/\(name).input.npy")).tensor()
            expectAllClose(try model.predict(x), expected, name)
        } else {   // several inputs: input_0.npy, input_1.npy …
            let xs = try (0..<model.inputShapes.count).map { try NPY.read(path: fixture("layers/\(name).input_\($0).npy")).tensor() }
            expectAllClose(try model.predict(xs)[0], expected, name)
        }
    }

    @Test("three optimizer steps reach Keras's weights and slots", arguments: trainingCases)
    func threeStepsMatchKeras(_ name: String) throws {
        try expectThreeStepsMatchKeras(fixture("layer_training/\(name)"), name)
    }
}
