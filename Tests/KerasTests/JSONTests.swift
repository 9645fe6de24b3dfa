import Foundation
import Testing
@testable import Keras

/// `JSON` parses what Python's `json` writes and writes it back byte for byte (Keras's config.json format).
struct JSONTests {
    static let cases = FixtureCases<String> {
        guard let list = try FixtureCases<String>.json("formats/json_cases.json").arrayValue else { throw NPYError("json_cases.json: expected a list") }
        return list.compactMap { $0["dumps"]?.stringValue }
    }

    @Test func theFixturesAreFound() throws {
        try Self.cases.expectFound(atLeast: 9, "Fixtures/formats/json_cases.json")
    }

    @Test("re-serializing Python's json.dumps output gives the same text", arguments: cases.all)
    func roundTripsPythonText(_ text: String) throws {
        #expect(try JSON.parse(text).serialized() == text)
    }

    @Test func keepsKeyOrderAndTellsIntsFromFloats() throws {
        let json = try JSON.parse(#"{"z": 1, "a": 1.0, "m": [2, 2.5]}"#)
        #expect(json.objectValue?.keys == ["z", "a", "m"])
        #expect(json["z"] == .int(1))
        #expect(json["a"] == .double(1))
        #expect(json.serialized() == #"{"z": 1, "a": 1.0, "m": [2, 2.5]}"#)
    }

    @Test func realKerasConfigRoundTripsExactly() throws {
        let archive = try KerasArchive(path: fixture("models/dense_relu.keras"))
        let text = String(decoding: archive.configBytes, as: UTF8.self)
        #expect(try JSON.parse(archive.configBytes).serialized() == text)
    }

    @Test("malformed text throws JSONError with a position", arguments: [
        "", "{", "[1, 2", #"{"a" 1}"#, "[1,]", "tru", #""\x""#, "01", "[1] 2", #"{"a": 1,}"#, "\"\u{01}\"",
    ])
    func malformedTextThrows(_ text: String) {
        #expect(throws: JSONError.self) { try JSON.parse(text) }
    }

    @Test func deepNestingIsRefusedNotAStackOverflow() {
        let bomb = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONError.self) { try JSON.parse(bomb) }
    }

    @Test func errorSaysLineAndColumn() {
        #expect {
            try JSON.parse("{\n  \"a\": ]\n}")
        } throws: { error in
            "\(error)".contains("line 2, column 8")
        }
    }
}
