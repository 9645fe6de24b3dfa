import Foundation
import Testing
@testable import Keras

/// NPY and NPZ files written by numpy read back with numpy's values; bad files are refused with NPYError.
struct NPYTests {
    static let expectedFile = FixtureCases<String> {
        try FixtureCases<String>.json("formats/npy_expected.json").objectValue?.keys ?? []
    }
    static let expected: JSONObject = (try? FixtureCases<String>.json("formats/npy_expected.json").objectValue) ?? JSONObject()

    @Test func theFixturesAreFound() throws {
        try Self.expectedFile.expectFound(atLeast: 13, "Fixtures/formats/npy_expected.json")
    }

    @Test("reads every dtype numpy writes", arguments: expectedFile.all)
    func readsNumpyFiles(_ name: String) throws {
        let array = try NPY.read(path: fixture("formats/\(name).npy"))
        let want = Self.expected[name]
        #expect(array.shape == (want?["shape"]?.arrayValue ?? []).compactMap(\.intValue))
        let values = (want?["values"]?.arrayValue ?? []).compactMap(\.doubleValue).map(Float.init)
        #expect(array.floats() == values)
    }

    @Test("reads stored and deflated .npz archives", arguments: ["stored", "deflated"])
    func readsNPZ(_ name: String) throws {
        let arrays = try NPZ.read(path: fixture("formats/\(name).npz"))
        #expect(arrays["a"]?.floats() == [0, 1, 2, 3])
        #expect(arrays["a"]?.dtype == .int64)
        #expect(arrays["b"]?.shape == [2, 2])
    }

    @Test func writtenFilesReadBack() throws {
        let t = Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, 1e-8, 7])
        let array = try NPY.read(NPY.bytes(floats: t.scalars, shape: t.shape))
        #expect(array.shape == [2, 3] && array.dtype == .float32 && array.floats() == t.scalars)
        #expect(try NPY.read(NPY.bytes(floats: [5], shape: [1])).shape == [1])
    }

    static func corrupt(_ body: (inout [UInt8]) -> Void) -> [UInt8] {
        var bytes = NPY.bytes(floats: [1, 2, 3, 4], shape: [2, 2])
        body(&bytes)
        return bytes
    }

    @Test("bad files are refused", arguments: [
        ("bad magic", corrupt { $0[1] = 0x00 }),
        ("truncated header", Array(corrupt { _ in }.prefix(20))),
        ("truncated data", Array(corrupt { _ in }.dropLast(3))),
        ("multi-byte type without byte order", corrupt { b in if let i = b.firstIndex(of: UInt8(ascii: "<")) { b[i] = UInt8(ascii: "|") } }),
        ("complex dtype", corrupt { b in
            let s = String(decoding: b, as: UTF8.self).replacingOccurrences(of: "<f4", with: "<c8")
            b = Array(s.utf8) }),
        ("absurd shape", corrupt { b in
            let s = String(decoding: b, as: UTF8.self).replacingOccurrences(of: "(2, 2)", with: "(99999999999, 99999999999)".prefix(6) + "")
            b = Array(s.utf8) }),
        ("empty", []),
    ])
    func badFilesAreRefused(_ c: (String, [UInt8])) {
        #expect(throws: NPYError.self, "\(c.0)") { try NPY.read(c.1, name: c.0) }
    }
}

/// Big-endian and Fortran-order files, which numpy and Keras read, are read with numpy's values (converted once
/// to little-endian C order); the direct float32 path gives the same tensors.
struct NPYLayoutTests {
    static func expected() throws -> JSONObject {
        let data = try #require(FileManager.default.contents(atPath: fixture("formats/layouts/expected.json")))
        return try #require(try JSON.parse(Array(data)).objectValue)
    }

    @Test func readsBigEndianAndFortranOrderFiles() throws {
        let expected = try Self.expected()
        #expect(expected.keys.count == 8)
        for name in expected.keys {
            let want = try #require(expected[name])
            let path = fixture("formats/layouts/\(name).npy")
            let shape = (want["shape"]?.arrayValue ?? []).compactMap(\.intValue)
            let values = (want["values"]?.arrayValue ?? []).compactMap(\.doubleValue).map(Float.init)
            let array = try NPY.read(path: path)
            #expect(array.shape == shape, "\(name)")
            #expect(array.floats() == values, "\(name)")
            let tensor = try NPY.readTensor(path: path)
            #expect(tensor.shape == shape && tensor.scalars == values, "\(name) through readTensor")
        }
    }
}

/// Writing every dtype: numpy's files are reproduced byte for byte.
struct NPYWritingTests {
    @Test("writes the same bytes as np.save", arguments: ["float32", "int32", "int64", "uint8", "int16", "float16"])
    func writesNumpyBytes(_ name: String) throws {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("formats/\(name).npy"))))
        let array = try NPY.read(original)
        let rebuilt = try NPYArray(shape: array.shape, dtype: array.dtype, values: array.floats())
        #expect(NPY.bytes(rebuilt) == original)
    }

    @Test func writesFloat64() throws {
        let array = try NPYArray(shape: [3], dtype: .float64, values: [1.5, -2, 1e-30])
        let back = try NPY.read(NPY.bytes(array))
        #expect(back.dtype == .float64 && back.floats() == [1.5, -2, 1e-30])
    }
}
