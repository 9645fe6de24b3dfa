import Foundation
import Testing
@testable import Keras

/// A seeded mutation fuzzer over real Keras files: whole archives, `config.json` texts, `model.weights.h5`
/// images and NPY inputs are damaged (bit flips, truncations, splices, hostile numbers) and loaded. Every case
/// must end in a thrown error or a working model — never a crash — within a time bound.
///
/// Two kinds in seven are structure-aware (`StructuredMutator`): an archive is opened, one entry is damaged at its own
/// level (JSON values and types in `config.json`, pickle opcodes and NPY header fields in `model.weights.npz`, HDF5
/// structures in `model.weights.h5`) and zipped again with valid CRCs, and NPY inputs get header-level damage, so
/// the parsers behind the zip are reached.
///
/// `FUZZ_CASES=5000 FUZZ_SEED=7 swift test --filter FuzzTests` runs it longer. Keras 2 `.h5` files are mutated too
/// (one case in five; `FUZZ_KERAS2=0` leaves them out): their string attributes once crashed libhdf5 1.10
/// (FUZZ_SEED=31) and made it zero-fill gigabytes (FUZZ_SEED=42), before HDF5 files were read by the bounds-checked
/// Swift reader.
@Suite(.serialized)
struct FuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let cases = Int(environment["FUZZ_CASES"] ?? "") ?? 300
    static let seed = UInt64(environment["FUZZ_SEED"] ?? "") ?? 20261124

    static let models = ["models/mixed_dropout_activation", "models/reshape_dense_rank3", "models/compiled_trained_rmsprop",
                         "models/antirectifier_object_orthogonal", "models/dense_softmax", "weights/npz_weights"]

    struct Corpus {
        let archives: [[UInt8]]
        let configs: [[UInt8]]
        let weights: [[UInt8]]
        let inputs: [[UInt8]]
    }

    static func corpus() throws -> Corpus {
        var archives: [[UInt8]] = [], configs: [[UInt8]] = [], weights: [[UInt8]] = [], inputs: [[UInt8]] = []
        for name in models {
            archives.append([UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("\(name).keras")))))
            let archive = try KerasArchive(path: fixture("\(name).keras"))
            configs.append(archive.configBytes)
            weights.append(archive.weightsBytes)
            let input = name.hasPrefix("weights/") ? "weights/input.npy" : "\(name).input.npy"
            inputs.append([UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture(input)))))
        }
        return Corpus(archives: archives, configs: configs, weights: weights, inputs: inputs)
    }

    /// Keras 2 `.h5` files, mutated whole (the loader recognises them by their HDF5 signature).
    static let keras2Files = ["keras2/mlp_rmsprop_trained", "keras2/mlp_adam_input_layer"]

    /// One random damage to `bytes`, using `others` for splices.
    static func mutate(_ bytes: [UInt8], others: [[UInt8]], rng: inout RandomGenerator) -> [UInt8] {
        var b = bytes
        guard !b.isEmpty else { return [UInt8(truncatingIfNeeded: rng.next())] }
        switch rng.next() % 6 {
        case 0:  // flip a few bits
            for _ in 0..<(1 + Int(rng.next() % 8)) { b[Int(rng.next() % UInt64(b.count))] ^= UInt8(1 << (rng.next() % 8)) }
        case 1:  // truncate
            b = Array(b.prefix(Int(rng.next() % UInt64(b.count))))
        case 2:  // splice a chunk of another file in
            let other = others[Int(rng.next() % UInt64(others.count))]
            let start = Int(rng.next() % UInt64(max(other.count, 1)))
            let chunk = other[start..<min(other.count, start + 1 + Int(rng.next() % 256))]
            let at = Int(rng.next() % UInt64(b.count))
            b.replaceSubrange(at..<min(b.count, at + chunk.count), with: chunk)
        case 3:  // hostile bytes
            let values: [UInt8] = [0, 0xFF, 0x7F, 0x80, 0x01]
            for _ in 0..<(1 + Int(rng.next() % 4)) { b[Int(rng.next() % UInt64(b.count))] = values[Int(rng.next() % 5)] }
        case 4:  // hostile numbers in text: replace a run of digits
            let digits = b.indices.filter { (0x30...0x39).contains(b[$0]) }
            if let i = digits.randomElement(using: &rng) {
                var end = i
                while end < b.count, (0x30...0x39).contains(b[end]) { end += 1 }
                let numbers = ["0", "-1", "99999999999", "1e308", "-0", "4294967296", "2147483647", "65536", "3.5", "NaN"]
                b.replaceSubrange(i..<end, with: Array(numbers[Int(rng.next() % UInt64(numbers.count))].utf8))
            }
        default:  // duplicate or drop a block
            let at = Int(rng.next() % UInt64(b.count))
            let length = min(b.count - at, 1 + Int(rng.next() % 64))
            if rng.next() % 2 == 0 { b.removeSubrange(at..<at + length) } else { b.insert(contentsOf: b[at..<at + length], at: at) }
        }
        return b
    }

    /// Loads and runs whatever the bytes turned into; errors are the expected outcome.
    static func exercise(archive: [UInt8], input: [UInt8], folder: BrokenFiles, index: Int) {
        do {
            let path = try folder.write("case\(index % 4).keras", archive)
            let model = try Model.load(from: path)
            if let shape = model.inputShape, shape.reduce(1, *) <= 1 << 16 {
                _ = try model.predict(Tensor.zeros([2] + shape))
            }
            let x = try NPY.read(input).tensor()
            _ = try model.predict(x)
            _ = try model.kerasFileBytes()
        } catch {
            _ = "\(error)"   // every error must also describe itself without trapping
        }
    }

    /// The weights entry name of corpus model `which` (one fixture stores model.weights.npz).
    func weightsEntry(_ which: Int) -> String {
        Self.models[which].hasPrefix("weights/") ? "model.weights.npz" : "model.weights.h5"
    }

    /// The structure-aware mutations keep the zip valid, so their damage reaches the readers behind it: the JSON
    /// config, the pickles and NPY headers of `model.weights.npz`, the HDF5 weights.
    @Test func structuredMutationsReachTheParsersBehindTheZip() throws {
        let folder = try BrokenFiles()
        defer { folder.remove() }
        var opened = 0, errors: [String] = []
        let cases = [("weights/npz_weights", "model.weights.npz", 24), ("models/dense_softmax", "config.json", 12),
                     ("models/dense_softmax", "model.weights.h5", 24)]
        for (k, (name, entry, count)) in cases.enumerated() {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("\(name).keras"))))
            for seed in 0..<count {
                var mutator = StructuredMutator(seed: UInt64(1000 * k + seed))
                let mutated = mutator.mutateKerasArchive(original, only: entry)
                let path = try folder.write("structured.keras", try #require(mutated))
                if (try? KerasArchive(path: path)) != nil { opened += 1 }
                do { _ = try Model.load(from: path) } catch { errors.append("\(error)") }
            }
        }
        #expect(opened >= 50, "only \(opened) of 60 mutated archives were still zips with a config")
        #expect(errors.contains { $0.contains("pickle") }, "no pickle was reached")
        #expect(errors.contains { $0.contains("config.json") || $0.contains("layer '") }, "no config was reached")
        #expect(errors.contains { $0.contains(".npy") && !$0.contains("pickle") }, "no NPY header was reached")
        #expect(errors.contains { $0.contains("model.weights.h5") }, "no HDF5 structure was reached")
    }

    @Test func damagedFilesNeverCrashOrHang() throws {
        let corpus = try Self.corpus()
        let folder = try BrokenFiles()
        defer { folder.remove() }
        var rng = RandomGenerator(seed: Self.seed)
        var slowest = 0.0, slowestCase = -1
        let keras2 = try Self.keras2Files.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("\($0).h5")))) }
        let keras2Inputs = try Self.keras2Files.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("\($0).input.npy")))) }
        for i in 0..<Self.cases {
            let which = Int(rng.next() % UInt64(Self.models.count))
            var archive = corpus.archives[which]
            var input = corpus.inputs[which]
            let keras2Enabled = Self.environment["FUZZ_KERAS2"] != "0"
            switch i % 7 {
            case 5:
                var mutator = StructuredMutator(seed: rng.next())
                archive = mutator.mutateKerasArchive(archive) ?? archive
            case 6:
                var mutator = StructuredMutator(seed: rng.next())
                input = mutator.mutateNPY(input)
            case 4 where keras2Enabled:
                let k = Int(rng.next() % UInt64(keras2.count))
                archive = Self.mutate(keras2[k], others: keras2, rng: &rng)
                input = keras2Inputs[k]
            case 0:
                archive = Self.mutate(archive, others: corpus.archives, rng: &rng)
            case 1:
                let config = Self.mutate(corpus.configs[which], others: corpus.configs, rng: &rng)
                archive = try KerasArchiveWriter.archiveBytes(entries: [("config.json", config), (weightsEntry(which), corpus.weights[which])])
            case 2:
                let weights = Self.mutate(corpus.weights[which], others: corpus.weights, rng: &rng)
                archive = try KerasArchiveWriter.archiveBytes(entries: [("config.json", corpus.configs[which]), (weightsEntry(which), weights)])
            case 4:
                continue
            default:
                input = Self.mutate(input, others: corpus.inputs, rng: &rng)
            }
            if Self.environment["FUZZ_TRACE"] != nil {
                FileHandle.standardError.write(Data("fuzz case \(i) kind \(i % 7) model \(which)\n".utf8))
                try Data(archive).write(to: URL(fileURLWithPath: "/tmp/fuzz-last.keras"))
                try Data(input).write(to: URL(fileURLWithPath: "/tmp/fuzz-last.npy"))
            }
            let start = Date()
            Self.exercise(archive: archive, input: input, folder: folder, index: i)
            let seconds = Date().timeIntervalSince(start)
            if seconds > slowest { (slowest, slowestCase) = (seconds, i) }
        }
        #expect(slowest < 5, "the slowest case, \(slowestCase) (FUZZ_SEED=\(Self.seed)), took \(slowest) s")
    }
}
