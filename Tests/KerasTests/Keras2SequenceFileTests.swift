import Foundation
import Testing
@testable import Keras

/// Genuine Keras 2 sequence models (`Fixtures/keras2_rnn`, written by tf_keras with
/// `tools/make_keras2_rnn_fixtures.py`): they predict what Keras 2 predicted and convert to Keras 3 files that predict
/// the same.
struct Keras2SequenceFileTests {
    /// Every case of the manifest (a missing or empty manifest fails the test that checks it).
    static let names: [String] = {
        guard let data = FileManager.default.contents(atPath: fixture("keras2_rnn/manifest.json")),
              let manifest = try? JSON.parse(Array(data)).arrayValue else { return [] }
        return manifest.compactMap { $0["name"]?.stringValue }
    }()

    @Test func theManifestListsEveryCase() {
        #expect(Self.names.count == 11)
    }

    @Test("predicts what Keras 2 predicted, and so does its Keras 3 conversion", arguments: names)
    func predictsLikeKeras2AndConverts(_ name: String) throws {
        let model = try Model.load(from: fixture("keras2_rnn/\(name).h5"))
        let x = try NPY.read(path: fixture("keras2_rnn/\(name).input.npy")).tensor()
        let expected = try NPY.read(path: fixture("keras2_rnn/\(name).output.npy")).tensor()
        expectAllClose(try model.predict(x), expected, "Keras 2 \(name)")
        guard name != "lstm_keras2_hard_sigmoid" else {
            // Keras 3 has no activation equal to Keras 2's hard_sigmoid: converting is refused, not approximated.
            #expect(throws: ArchiveError.self) { _ = try model.kerasFileBytes() }
            return
        }
        let folder = try BrokenFiles()
        defer { folder.remove() }
        let converted = try Model.load(from: try folder.write("converted.keras", try model.kerasFileBytes()))
        expectAllClose(try converted.predict(x), expected, "\(name) converted to Keras 3")
    }
}
