import Foundation
import Testing
import ZIPFoundation
@testable import Keras

/// Hand-made hostile files (issue 17): each is refused by the library with an error saying what and where, and by
/// the `keras` command with one `error:` line, exit status 1 and no output file — no crash, no hang, no
/// allocation the file cannot justify.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct HostileFileTests {
    let files: BrokenFiles
    init() throws { files = try BrokenFiles() }

    static let npzModel = fixture("weights/npz_weights.keras")

    /// `weights/npz_weights.keras` with the pickle of its `layers/dense` member (after the `.npy` header) replaced.
    func npzModel(withDensePickle pickle: [UInt8], as name: String) throws -> String {
        let archive = try KerasArchive(path: Self.npzModel)
        let members = try NPZ.memberBytes(archive.weightsBytes, name: "weights")
        var npzEntries: [(name: String, bytes: [UInt8])] = []
        for key in members.keys.sorted() {
            var bytes = try #require(members[key]).bytes
            if key == "layers/dense" {
                let (_, _, _, dataStart) = try NPY.header(bytes, name: key)
                bytes = Array(bytes[..<dataStart]) + pickle
            }
            npzEntries.append(("\(key).npy", bytes))
        }
        let npz = try KerasArchiveWriter.archiveBytes(entries: npzEntries)
        return try files.write(name, KerasArchiveWriter.archiveBytes(entries: [("config.json", archive.configBytes), ("model.weights.npz", npz)]))
    }

    /// Runs `keras predict` on `model` and checks the failure contract; returns the error line. With
    /// `HOSTILE_FILES_DIR` set, the file is also kept there: CI runs the release build on every kept file under
    /// time and memory limits (tools/check_hostile_limits.py).
    func expectCLIRefuses(_ model: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        if let keep = ProcessInfo.processInfo.environment["HOSTILE_FILES_DIR"] {
            let target = keep + "/" + (model as NSString).lastPathComponent
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: model, toPath: target)
        }
        let output = files.path("out-\(UUID().uuidString).npy")
        let r = try CLIRunner.run(["predict", model, "--input", fixture("weights/input.npy"), "--output", output])
        #expect(r.status == 1, "exit status \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(r.stderr.prefix(2000))", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: output), sourceLocation: sourceLocation)
        return r.stderr
    }

    /// A negative float (BINFLOAT `BF F0 00…`, −1.0) killed the process with SIGILL: the bits became a negative Int
    /// converted to UInt64.
    @Test func aNegativePickledFloatIsReadNotATrap() throws {
        #expect(try Pickle.load([0x80, 0x04, 0x47, 0xBF, 0xF0, 0, 0, 0, 0, 0, 0, 0x2E]).root.floatValue == -1.0)
        #expect(try Pickle.load([0x80, 0x04, 0x47, 0xC0, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18, 0x2E]).root.floatValue == -Double.pi)
        let model = try npzModel(withDensePickle: [0x80, 0x04, 0x47, 0xBF, 0xF0, 0, 0, 0, 0, 0, 0, 0x2E], as: "negative_float.keras")
        let error = try expectCLIRefuses(model)
        #expect(error.contains("layers/dense.npy: expected a pickled dict of variables"), "\(error)")
    }

    /// The 0-d object array Keras pickles for a layer, `_reconstruct(…)` built with a state whose data list holds
    /// `{"0": <variable>}`, where the variable's pickle opcodes are `variable`.
    static func objectArrayPickle(variable: [UInt8]) -> [UInt8] {
        var p: [UInt8] = [0x80, 0x04]
        p += [0x63] + Array("numpy\n_reconstruct\n".utf8)        // GLOBAL
        p += [0x29, 0x52]                                        // EMPTY_TUPLE, REDUCE
        p += [0x28, 0x4B, 0x01, 0x29, 0x4E, 0x89]                // MARK, 1, (), None, False
        p += [0x5D, 0x7D, 0x8C, 0x01, 0x30]                      // EMPTY_LIST, EMPTY_DICT, "0"
        p += variable
        p += [0x73, 0x61, 0x74, 0x62, 0x2E]                      // SETITEM, APPEND, TUPLE, BUILD, STOP
        return p
    }

    /// A list that holds itself twice, where a variable is expected: the array search walked it 2³² times.
    @Test func aSelfReferencingPickledListIsSearchedOnce() throws {
        // EMPTY_LIST, MEMOIZE, MARK, BINGET 0, BINGET 0, APPENDS
        let pickle = Self.objectArrayPickle(variable: [0x5D, 0x94, 0x28, 0x68, 0x00, 0x68, 0x00, 0x65])
        let model = try npzModel(withDensePickle: pickle, as: "self_list.keras")
        let error = try expectCLIRefuses(model)
        #expect(error.contains("variable '0' holds no NumPy array this reader understands"), "\(error)")
    }

    /// Shared tuples have no identity to remember: a pickle of 40 nested pairs `(t, t)` has 2⁴⁰ paths, and the search
    /// stops at its visit bound.
    @Test func aPickleOfSharedTuplesIsSearchedWithinABound() throws {
        var variable: [UInt8] = [0x4E, 0x94]                     // None, MEMOIZE 0
        for k in 0..<40 { variable += [0x68, UInt8(k), 0x86, 0x94] }   // t = (t, memo[k]): BINGET k, TUPLE2, MEMOIZE
        let model = try npzModel(withDensePickle: Self.objectArrayPickle(variable: variable), as: "shared_tuples.keras")
        let error = try expectCLIRefuses(model)
        #expect(error.contains("too large to search"), "\(error)")
    }

    /// Values nested a million deep were released by a recursion a million frames deep (a stack overflow, found
    /// while fixing the cases above): tuples and calls are bounded while reading, and lists and dicts are released
    /// one by one by their document.
    @Test func deeplyNestedPicklesAreRefusedOrReleasedWithoutRecursion() throws {
        let tuples = try npzModel(withDensePickle: [0x80, 0x04, 0x4E] + [UInt8](repeating: 0x85, count: 300) + [0x2E], as: "deep_tuples.keras")
        let error = try expectCLIRefuses(tuples)
        #expect(error.contains("layers/dense.npy: pickle at byte 260: objects nested more than 256 deep"), "\(error)")
        // MARK × n, None, LIST × n: a list in a list … n deep.
        let n = 200_000
        let lists = [UInt8](repeating: 0x28, count: n) + [0x4E] + [UInt8](repeating: 0x6C, count: n)
        let deep = try npzModel(withDensePickle: [0x80, 0x04] + lists + [0x2E], as: "deep_lists.keras")
        #expect(try expectCLIRefuses(deep).contains("layers/dense.npy: expected a pickled dict of variables"))
        // A list that holds itself is a reference cycle: its document breaks it.
        func readCycle() throws -> Weak<PickleBox> {
            let cycle = try Pickle.load([0x80, 0x04, 0x5D, 0x94, 0x68, 0x00, 0x61, 0x2E])
            guard case .list(let box) = cycle.root else { return Weak(nil) }
            #expect(box.items.count == 1)
            return Weak(box)
        }
        #expect(try readCycle().object == nil, "the self-referencing list leaked")
    }

    /// One flipped bit in a stored npz member loaded silently; numpy raises BadZipFile.
    @Test func aFlippedBitInAnNPZMemberIsRefused() throws {
        // The float32 ones of member `b` (0x3F800000) in the stored archive.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("formats/stored.npz"))))
        let one: [UInt8] = [0x00, 0x00, 0x80, 0x3F]
        let at = try #require((0...(bytes.count - 4)).first { bytes[$0..<$0 + 4].elementsEqual(one) })
        bytes[at + 2] ^= 0x01
        let path = try files.write("flipped.npz", bytes)
        let error = try #require(throws: NPYError.self) { try NPZ.read(path: path) }
        #expect(error.description.contains("entry b.npy is corrupt (its CRC-32 or size does not match"), "\(error)")

        // The same inside a .keras file's model.weights.npz: the kernel's first bytes, flipped.
        let archive = try KerasArchive(path: Self.npzModel)
        let kernel = try #require(try KerasNPZWeights.read(archive.weightsBytes, name: "w")["layers/dense"]?["0"]).data
        var npz = archive.weightsBytes
        let k = try #require((0...(npz.count - 8)).first { npz[$0..<$0 + 8].elementsEqual(kernel.prefix(8)) })
        npz[k + 1] ^= 0x10
        let model = try files.write("flipped.keras", KerasArchiveWriter.archiveBytes(entries: [("config.json", archive.configBytes), ("model.weights.npz", npz)]))
        let line = try expectCLIRefuses(model)
        #expect(line.contains("model.weights.npz: entry layers/dense.npy is corrupt (its CRC-32 or size does not match"), "\(line)")
    }

    /// Found by `FuzzTests` (FUZZ_SEED=7): an npz member declaring a compressed size near 2⁶⁴ overflowed the zip
    /// reader's compression-ratio check (a trap).
    @Test func anNPZMemberWithAnAbsurdCompressedSizeIsRefused() throws {
        let error = try expectCLIRefuses(fixture("fuzz/npz_member_huge_compressed_size.keras"))
        #expect(error.contains("model.weights.npz: entry __root__.npy is corrupt"), "\(error)")
    }

    /// Found by the libFuzzer target (`scripts/fuzz`, after 24 minutes): `config.json`'s local header declares a
    /// 1,536-byte name that runs past the end of the file, and ZIPFoundation's inflate loop kept asking the exhausted
    /// file for more input (`keras summary` ran for more than 20 s). The local header must name the entry the
    /// central directory names, as Python's zipfile requires.
    @Test func aLocalHeaderNamingAnotherEntryIsRefusedAtOnce() throws {
        let model = fixture("fuzz/local_header_name_past_the_end.keras")
        let error = try #require(throws: ArchiveError.self) { try Model.load(from: model) }
        #expect(error.description.hasSuffix("local_header_name_past_the_end.keras: the local header of entry 'config.json' names another entry (1536 bytes; a damaged file)"), "\(error)")
        _ = try expectCLIRefuses(model)
    }

    /// An entry's compressed bytes are read up to the size the central directory records and no further: with
    /// `config.json`'s recorded size 10 bytes short, its deflate stream has not ended when its bytes do (Python
    /// raises; ZIPFoundation read on past them and loaded the file).
    @Test func aDeflateStreamLongerThanItsRecordedSizeIsTruncated() throws {
        let source = try KerasArchive(path: fixture("models/dense_softmax.keras"))
        let deflated = try Archive(data: Data(), accessMode: .create)
        for (name, entry) in [("config.json", source.configBytes), ("model.weights.h5", source.weightsBytes)] {
            try deflated.addEntry(with: name, type: .file, uncompressedSize: Int64(entry.count), compressionMethod: .deflate) { position, size in
                Data(entry[Int(position)..<(Int(position) + size)])
            }
        }
        var bytes = [UInt8](try #require(deflated.data))
        _ = try Model.load(from: try files.write("deflated.keras", bytes))
        let name = Array("config.json".utf8)
        @discardableResult func shrinkSize(signature: [UInt8], nameAt: Int, sizeAt: Int) throws -> Int {
            let header = try #require((0...(bytes.count - nameAt - name.count)).first {
                bytes[$0..<($0 + 4)].elementsEqual(signature) && bytes[($0 + nameAt)..<($0 + nameAt + name.count)].elementsEqual(name)
            })
            let size = bytes[(header + sizeAt)..<(header + sizeAt + 4)].reversed().reduce(0) { $0 << 8 | Int($1) } - 10
            for i in 0..<4 { bytes[header + sizeAt + i] = UInt8(truncatingIfNeeded: size >> (8 * i)) }
            return size
        }
        try shrinkSize(signature: [0x50, 0x4B, 0x03, 0x04], nameAt: 30, sizeAt: 18)
        let recorded = try shrinkSize(signature: [0x50, 0x4B, 0x01, 0x02], nameAt: 46, sizeAt: 20)
        let model = try files.write("short_config.keras", bytes)
        let error = try #require(throws: ArchiveError.self) { try Model.load(from: model) }
        #expect(error.description.hasSuffix("short_config.keras: entry config.json is corrupt (its deflate stream does not end within its \(recorded) recorded bytes)"), "\(error)")
        _ = try expectCLIRefuses(model)
    }

    /// Two `config.json` entries: Python's zipfile takes the last one; which one a reader takes is an accident.
    @Test func anArchiveWithDuplicateEntryNamesIsRefused() throws {
        let archive = try KerasArchive(path: fixture("models/dense_softmax.keras"))
        let model = try files.write("twice.keras", KerasArchiveWriter.archiveBytes(entries: [
            ("config.json", archive.configBytes), ("config.json", Array("{}".utf8)), ("model.weights.h5", archive.weightsBytes),
        ]))
        let error = try #require(throws: ArchiveError.self) { try Model.load(from: model) }
        #expect(error.description.hasSuffix("twice.keras: the archive holds two entries named 'config.json' (a damaged or tampered file)"), "\(error)")
        _ = try expectCLIRefuses(model)

        let npz = try files.write("twice.npz", KerasArchiveWriter.archiveBytes(entries: [
            ("a.npy", NPY.bytes(floats: [1], shape: [1])), ("a.npy", NPY.bytes(floats: [2], shape: [1])),
        ]))
        #expect(throws: NPYError.self) { try NPZ.read(path: npz) }
    }

    /// A config listing far more layers than its weights file holds variables for allocated every one of them
    /// before the weight checks ran (1.7 GB for 200,000 Dense layers in a 1 MB file): the first variable the file
    /// cannot fill stops the load.
    @Test func aConfigDescribingMoreVariablesThanTheFileHoldsFailsBeforeAllocatingThem() throws {
        let source = try KerasArchive(path: fixture("models/dense_softmax.keras"))
        var layers = #"{"class_name": "InputLayer", "config": {"batch_shape": [null, 64], "name": "in"}}"#
        for i in 0..<2_000 { layers += #", {"class_name": "Dense", "config": {"units": 64, "name": "d\#(i)"}}"# }
        let config = #"{"class_name": "Sequential", "config": {"name": "s", "layers": [\#(layers)]}}"#
        let model = try files.write("many_layers.keras", KerasArchiveWriter.archiveBytes(entries: [
            ("config.json", Array(config.utf8)), ("model.weights.h5", source.weightsBytes),
        ]))
        let error = try #require(throws: ModelLoadError.self) { try Model.load(from: model) }
        #expect(error.issues.count == 1)
        // The file holds 2 variables; the budget's slack lets 1,000 more be created (501 layers), then the load stops.
        let stopped = "layer 'd\((2 + WeightBudget.slackVariables) / 2)' (Dense) weight 'kernel' of shape [64, 64] is beyond what"
        #expect(error.description.contains(stopped), "\(error)")
        #expect(error.description.contains("model.weights.h5 holds (2 variables, 35 values in all): the config describes far more variables than the weights file stores"))
        _ = try expectCLIRefuses(model)
    }

    /// A load error lists at most `maximumListedIssues` problems (a hostile config produced a 20 MB line).
    @Test func aLoadErrorListsABoundedNumberOfProblems() {
        let error = ModelLoadError(path: "m.keras", issues: (0..<1000).map { "problem \($0)" }, hasUnknownClasses: false)
        #expect(error.description.hasPrefix("cannot load m.keras: 1000 problems: problem 0; problem 1;"))
        #expect(error.description.hasSuffix("problem 19; … and 980 more"))
    }

    /// A Functional layer whose input names a layer the config does not have: the message used to be unreachable
    /// (the graph replay reported "waits for …, which is never computed" instead).
    @Test func aFunctionalInputNamingAnUnknownLayerSaysSo() throws {
        let model = try files.editConfig(fixture("functional/chain.keras"), as: "ghost.keras") {
            $0.replacingOccurrences(of: #""keras_history": ["input_layer_7""#, with: #""keras_history": ["ghost""#)
        }
        let error = try #require(throws: ModelLoadError.self) { try Model.load(from: model) }
        #expect(error.issues == ["layer 'dense_12': its input refers to an unknown layer 'ghost'"], "\(error)")
    }
}

struct Weak<T: AnyObject> {
    weak var object: T?
    init(_ object: T?) { self.object = object }
}

extension PickleValue {
    var floatValue: Double? { if case .float(let v) = self { return v } else { return nil } }
}
