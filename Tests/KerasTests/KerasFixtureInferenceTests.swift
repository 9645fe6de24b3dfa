import Foundation
import Testing
@testable import Keras

/// Every model in `Fixtures/models` (one per activation, Antirectifier per initializer spelling, Dropout /
/// Activation / Flatten / Reshape stacks, a compiled and trained model) predicts what Keras predicted.
struct KerasFixtureInferenceTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let pins: String
        var testDescription: String { name }
    }

    static let cases = FixtureCases<Case> {
        try FixtureCases.manifest("models/manifest.json")
    }

    @Test func manifestListsTheFixtures() throws {
        try Self.cases.expectFound(atLeast: 40, "Fixtures/models/manifest.json")
    }

    @Test("Swift predicts Keras's outputs within rtol 1e-4, atol 1e-5", arguments: cases.all)
    func predictsLikeKeras(_ c: Case) throws {
        let model = try Model.load(from: fixture("models/\(c.name).keras"))
        let x = try NPY.read(path: fixture("models/\(c.name).input.npy")).tensor()
        let expected = try NPY.read(path: fixture("models/\(c.name).output.npy")).tensor()
        expectAllClose(try model.predict(x), expected, "\(c.name) (\(c.pins))")
    }
}
