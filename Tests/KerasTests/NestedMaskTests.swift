import Foundation
import Testing
@testable import Keras

/// Each case in `Fixtures/nested_masks` (`tools/make_nested_mask_fixtures.py`): a Sequential or Functional model used
/// as a layer, with a padding mask crossing its boundary. As in Keras, the nested model hands the mask its input
/// carries to its first layers, and its output keeps the mask its own layers computed for the next layer (and the
/// loss) to read. Swift must predict Keras's numbers and carry Keras's output mask.
struct NestedMaskTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let inputs: Int
        let outputMask: Bool
        var testDescription: String { name }
        enum CodingKeys: String, CodingKey { case name, inputs, outputMask = "output_mask" }
    }

    static let cases = FixtureCases<Case> {
        try FixtureCases.manifest("nested_masks/manifest.json")
    }

    @Test func manifestListsTheFixtures() throws {
        try Self.cases.expectFound(atLeast: 5, "Fixtures/nested_masks/manifest.json")
    }

    @Test("a nested model takes the mask its input carries and passes its own on", arguments: cases.all)
    func predictMatchesKeras(_ fixtureCase: Case) throws {
        let path = fixture("nested_masks/\(fixtureCase.name)")
        let model = try Model.load(from: "\(path).keras")
        #expect(model.layers.contains { $0 is Model }, "\(fixtureCase.name): no nested model")
        let x = try (0..<fixtureCase.inputs).map { try NPY.read(path: "\(path).input_\($0).npy").tensor() }
        let expected = try NPY.read(path: "\(path).output.npy").tensor()
        expectAllClose(try model.predict(x, batchSize: 4)[0], expected, "\(fixtureCase.name) predict")

        let (_, masks) = try model.runWithMasks(x, training: false)
        if fixtureCase.outputMask {
            let kerasMask = try NPY.read(path: "\(path).mask.npy").tensor()
            guard let mask = masks[0] else {
                Issue.record("\(fixtureCase.name): the output carries no mask; Keras's carries one")
                return
            }
            expectAllClose(mask, kerasMask, "\(fixtureCase.name) output mask")
        } else {
            #expect(masks[0] == nil, "\(fixtureCase.name): the output carries a mask; Keras's carries none")
        }
    }

    /// Calling a nested model directly with `mask:` (Keras's `model(x, mask=m)`) hands the mask to its first layers.
    @Test func callingAModelWithAMaskHandsItToItsLayers() throws {
        let model = try Model.load(from: fixture("nested_masks/embedding_nested_sequential_dense.keras"))
        let inner = try #require(model.layers.first { $0 is Model } as? Model)
        let features = Tensor(shape: [1, 6, 4], scalars: (0..<24).map { Float($0) / 10 })
        let masked = try inner(features, mask: Tensor(shape: [1, 6], scalars: [1, 1, 1, 1, 0, 0]), training: false)
        let unmasked = try inner(features, training: false)
        // Inside, the LSTM repeats its output at the masked last two steps (so does the Dense after it: 3 values per
        // step); without the mask it moves on.
        #expect(Array(masked.scalars[12..<15]) == Array(masked.scalars[9..<12]))
        #expect(Array(masked.scalars[15..<18]) == Array(masked.scalars[9..<12]))
        #expect(Array(unmasked.scalars[15..<18]) != Array(unmasked.scalars[9..<12]))
        #expect(Array(masked.scalars[0..<12]) == Array(unmasked.scalars[0..<12]))
    }
}
