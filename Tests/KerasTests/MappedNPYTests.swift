import Foundation
import Testing
@testable import Keras

/// `.npy` inputs read through a mapping (`NPY.samples`, `MappedNPY`): the same numbers as the arrays read into
/// tensors, other layouts converted once, and hostile headers refused before any access past the file's end.
struct MappedNPYTests {
    let files: BrokenFiles
    init() throws { files = try BrokenFiles() }

    /// The bundled 500 MNIST test images, preprocessed as the seed model expects, written as a float32 `.npy`.
    func seedInputs() throws -> (tensor: Tensor, labels: Tensor, path: String) {
        let data = try MNIST.read(fixture("seed/mnist_test_500.npz"))
        let x = MNIST.preprocess(data.xTest)
        return (x, data.yTest, try files.write("x500.npy", NPY.bytes(floats: x.scalars, shape: x.shape)))
    }

    @Test func aFloat32FileIsMappedAndPredictsKerasLogitsBitForBit() throws {
        let (x, _, path) = try seedInputs()
        let mapped = try NPY.samples(path: path)
        #expect(mapped is MappedNPY)
        #expect(mapped.shape == x.shape)
        #expect(mapped.rows(3..<7).scalars == x.rows(3..<7).scalars)
        #expect(mapped.gathering(rows: [499, 0, 42]).scalars == x.gathering(rows: [499, 0, 42]).scalars)
        let model = try Model.load(from: fixture("seed/seed_mnist.keras"))
        let fromMapping = try model.predict(mapped, batchSize: 128)
        expectAllClose(fromMapping, try NPY.read(path: fixture("seed/seed_mnist.output.npy")).tensor(), "seed logits from a mapped file")
        #expect(fromMapping.scalars == (try model.predict(x, batchSize: 128)).scalars)
        let shared = try InferenceModel(loading: fixture("seed/seed_mnist.keras"))
        #expect(try shared.predict(mapped, batchSize: 128).scalars == fromMapping.scalars)
    }

    @Test func fitAndEvaluateOnAMappedFileMatchTheInMemoryPathExactly() throws {
        let (x, labels, _) = try seedInputs()
        let (x160, y160) = (x.rows(0..<160), labels.rows(0..<160))
        let path = try files.write("x160.npy", NPY.bytes(floats: x160.scalars, shape: x160.shape))
        let mapped = try #require(try MappedNPY(path: path))
        func train(_ inputs: [any SampleSource]) throws -> (History, [[Float]], TrainingLogs) {
            let model = try Model.load(from: fixture("seed/seed_mnist.keras"))
            let history = try model.fit(x: inputs, y: [y160], batchSize: 32, epochs: 2, validationSplit: 0.25, seed: 7)
            return (history, model.allWeights.map(\.value.scalars), try model.evaluate(x: inputs, y: [y160], batchSize: 50))
        }
        let (inMemory, memoryWeights, memoryLogs) = try train([x160])
        let (fromMapping, mappedWeights, mappedLogs) = try train([mapped])
        #expect(inMemory.names == ["loss", "sparse_categorical_accuracy", "val_loss", "val_sparse_categorical_accuracy"])
        #expect(inMemory["loss"].count == 2 && inMemory["loss"][0] != inMemory["loss"][1])
        for name in inMemory.names { #expect(fromMapping[name] == inMemory[name], "\(name)") }
        #expect(mappedWeights == memoryWeights)
        #expect(mappedLogs.pairs.map(\.1) == memoryLogs.pairs.map(\.1))
    }

    /// `fit` and `evaluate` refuse non-finite inputs; a mapped file is checked in chunks of 2^20 elements.
    @Test func aNonFiniteValueIsFoundAtItsFlatIndexPastTheFirstChunk() throws {
        var values = [Float](repeating: 0.5, count: 1_100_000)
        values[1_050_001] = -.infinity
        values[1_099_999] = .nan
        let path = try files.write("inf.npy", NPY.bytes(floats: values, shape: [1100, 1000]))
        let mapped = try #require(try MappedNPY(path: path))
        let found = try #require(mapped.firstNonFinite())
        #expect(found.index == 1_050_001 && found.value == -.infinity)
        #expect(Tensor(shape: [1100, 1000], scalars: values).firstNonFinite()?.index == 1_050_001)
        let model = try Sequential([Input(shape: [1000]), Dense(1)])
        model.compile(optimizer: SGD(learningRate: 0.01), loss: .meanSquaredError)
        let error = try #require(throws: TrainingError.self) { try model.fit(x: [mapped], y: [Tensor.zeros([1100, 1])]) }
        #expect(error.description == "x holds a non-finite value (-inf) at flat index 1050001")
        values[1_050_001] = 0
        #expect(try #require(try MappedNPY(path: try files.write("nan.npy", NPY.bytes(floats: values, shape: [1100, 1000])))).firstNonFinite()?.index == 1_099_999)
        values[1_099_999] = 0
        #expect(try #require(try MappedNPY(path: try files.write("finite.npy", NPY.bytes(floats: values, shape: [1100, 1000])))).firstNonFinite() == nil)
    }

    @Test func otherTypesAndLayoutsAreConvertedOnceWithNumpysValues() throws {
        #expect(try NPY.samples(path: fixture("formats/scalar.npy")) is Tensor, "a scalar has no rows to map")
        let uint8 = try NPY.samples(path: fixture("formats/uint8.npy"))
        #expect(uint8 is Tensor)
        #expect(uint8.rows(0..<uint8.shape[0]).scalars == (try NPY.read(path: fixture("formats/uint8.npy")).floats()))
        let data = try #require(FileManager.default.contents(atPath: fixture("formats/layouts/expected.json")))
        let expected = try #require(try JSON.parse(Array(data)).objectValue)
        #expect(expected.keys.count == 8)
        for name in expected.keys {
            let source = try NPY.samples(path: fixture("formats/layouts/\(name).npy"))
            // numpy writes a 1-D Fortran-order array as C order (`fortran_order: False`): that one is mapped.
            #expect((source is MappedNPY) == (name == "fortran_1d_f4"), "\(name): only little-endian C-order float32 is mapped")
            let values = (expected[name]?["values"]?.arrayValue ?? []).compactMap(\.doubleValue).map(Float.init)
            #expect(source.rows(0..<source.shape[0]).scalars == values, "\(name)")
        }
    }

    /// np.save pads the header to a multiple of 64 bytes; a header padded otherwise leaves the data unaligned for
    /// Float, and the file is read into memory instead of mapped.
    @Test func unalignedDataIsReadIntoMemoryWithTheSameValues() throws {
        let values: [Float] = [1, -2, 3.5, 0.25, 7, 8]
        var bytes = NPY.bytes(floats: values, shape: [3, 2])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        bytes.insert(UInt8(ascii: " "), at: 10 + headerLength - 1)   // one more space before the final newline
        bytes[8] = UInt8((headerLength + 1) & 0xFF)
        let source = try NPY.samples(path: try files.write("unaligned.npy", bytes))
        #expect(source is Tensor)
        #expect(source.shape == [3, 2] && source.rows(0..<3).scalars == values)
    }

    /// A header that claims more rows than the file holds is refused from the header and the file size, before
    /// anything is mapped (reading the missing rows through a mapping would kill the process with SIGBUS).
    @Test("hostile headers are refused before mapping", arguments: [
        ("more rows than the file holds", "(2, 2)", "(4096, 2)", 0, "expected 32768 bytes of data for shape [4096, 2] <f4, found 16"),
        ("truncated data", "(2, 2)", "(2, 2)", 3, "expected 16 bytes of data for shape [2, 2] <f4, found 13"),
        ("absurd shape", "(2, 2)", "(99999999999, 99999999999)", 0, "shape [99999999999, 99999999999] is absurdly large"),
    ])
    func hostileHeadersAreRefused(_ c: (String, String, String, Int, String)) throws {
        let (what, shape, claimed, cut, message) = c
        let original = NPY.bytes(floats: [1, 2, 3, 4], shape: [2, 2])
        let dataStart = 10 + (Int(original[8]) | Int(original[9]) << 8)
        let header = String(decoding: original[10..<dataStart], as: UTF8.self).replacingOccurrences(of: shape, with: claimed)
        let bytes = Array(original[0..<8]) + [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
            + Array(header.utf8) + original[dataStart...].dropLast(cut)
        let path = try files.write("hostile.npy", bytes)
        let error = try #require(throws: NPYError.self, "\(what)") { try NPY.samples(path: path) }
        #expect(error.description == "\(path): \(message)", "\(what)")
        #expect(throws: NPYError.self, "\(what)") { try MappedNPY(path: path) }
        let output = files.path("out.npy")
        let r = try CLIRunner.run(["predict", fixture("seed/seed_mnist.keras"), "--input", path, "--output", output])
        #expect(r.status == 1 && r.stderr.split(separator: "\n") == ["error: \(path): \(message)"], "\(what): \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
