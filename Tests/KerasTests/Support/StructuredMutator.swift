import Foundation
import Keras
import ZIPFoundation

/// Structure-aware mutations of Keras model files, for the fuzzers (`FuzzTests` and the libFuzzer target in
/// `Fuzz/`, which compiles this same file).
///
/// Flipping bytes of a compressed archive mostly breaks the zip or its CRCs, so the parsers behind it are rarely
/// reached. These mutations open the archive, damage one entry at its own level — JSON values, nesting and types in
/// `config.json`; pickle opcodes and their arguments, and NPY header fields, in `model.weights.npz`; HDF5 structures
/// in `model.weights.h5` — and zip it again with valid CRCs (stored or deflated), so the damage reaches the parser it
/// is meant for. Only public API is used.
struct StructuredMutator {
    /// A seeded generator (SplitMix64), so a case can be replayed from its seed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
        mutating func chance(_ oneIn: Int) -> Bool { below(oneIn) == 0 }
    }

    var random: Random

    init(seed: UInt64) { random = Random(state: seed) }

    /// Numbers that sit on the edges parsers get wrong.
    static let hostileIntegers: [Int] = [0, -1, 1, 2, 3, 7, 255, 256, 65_535, 65_536, Int(Int32.max), Int(Int32.min),
                                         1 << 31, 1 << 32, 1 << 40, Int.max, Int.min, 100_000_000]

    // MARK: Archives

    /// The `.keras` archive `bytes` with one entry damaged at its own level (the entry named `only`, when given),
    /// zipped again; nil when `bytes` is not an archive this can open.
    mutating func mutateKerasArchive(_ bytes: [UInt8], only: String? = nil) -> [UInt8]? {
        guard var entries = Self.entries(ofZip: bytes), !entries.isEmpty else { return nil }
        let names = entries.map(\.name)
        let target = only.flatMap { names.firstIndex(of: $0) }
            ?? names.firstIndex { $0 == "config.json" && random.chance(2) }
            ?? names.firstIndex { $0.hasPrefix("model.weights") }
            ?? random.below(entries.count)
        let name = entries[target].name
        var entry = entries[target].bytes
        switch name {
        case "config.json", "metadata.json": entry = mutateJSON(entry)
        case "model.weights.npz": entry = mutateNPZ(entry) ?? mutateBytes(entry)
        case "model.weights.h5": entry = mutateHDF5(entry)
        default: entry = mutateBytes(entry)
        }
        entries[target].bytes = entry
        if random.chance(16) { entries.append(entries[random.below(entries.count)]) }   // a duplicate entry name
        if random.chance(16) { entries.shuffle(using: &random) }
        return Self.zip(entries, compressed: random.chance(2))
    }

    /// The entries of a zip, in order; nil when it is not one.
    ///
    /// The bytes go through a temporary file: ZIPFoundation's in-memory reader traps on some damaged archives.
    static func entries(ofZip bytes: [UInt8]) -> [(name: String, bytes: [UInt8])]? {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-keras-mutator-\(UUID().uuidString).zip")
        guard (try? Data(bytes).write(to: url)) != nil else { return nil }
        defer { try? FileManager.default.removeItem(at: url) }
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch { return nil }
        var out: [(name: String, bytes: [UInt8])] = []
        for entry in archive where entry.type == .file {
            // Sizes bounded as the library's reader bounds them (a damaged size made ZIPFoundation read forever).
            guard entry.uncompressedSize < 1 << 26, entry.compressedSize <= UInt64(bytes.count) else { return nil }
            var data: [UInt8] = []
            let extracted = try? archive.extract(entry, skipCRC32: true) { chunk in
                guard data.count + chunk.count <= Int(entry.uncompressedSize) else { throw CocoaError(.fileReadCorruptFile) }
                data += chunk
            }
            guard extracted != nil else { return nil }
            out.append((entry.path, data))
        }
        return out
    }

    /// A zip of `entries` with valid CRCs, stored or deflated.
    static func zip(_ entries: [(name: String, bytes: [UInt8])], compressed: Bool) -> [UInt8]? {
        let archive: Archive
        do { archive = try Archive(data: Data(), accessMode: .create) } catch { return nil }
        for (name, bytes) in entries {
            let data = Data(bytes)
            let added: ()? = try? archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count),
                                                   compressionMethod: compressed ? .deflate : .none) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
            guard added != nil else { return nil }
        }
        return archive.data.map { [UInt8]($0) }
    }

    // MARK: Bytes

    /// A plain byte-level damage (the fallback when an entry has no structure to work on).
    mutating func mutateBytes(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        guard !b.isEmpty else { return [UInt8(truncatingIfNeeded: random.next())] }
        switch random.below(3) {
        case 0: for _ in 0..<(1 + random.below(4)) { b[random.below(b.count)] ^= UInt8(1 << random.below(8)) }
        case 1: b = Array(b.prefix(random.below(b.count)))
        default:
            let at = random.below(b.count), length = min(b.count - at, 1 + random.below(32))
            b.insert(contentsOf: b[at..<at + length], at: at)
        }
        return b
    }

    // MARK: JSON

    /// `config.json` with one value changed at the JSON level: another type, a hostile number, an empty or deeply
    /// nested container, a dropped key, a duplicated or reordered list.
    mutating func mutateJSON(_ bytes: [UInt8]) -> [UInt8] {
        guard let json = try? JSON.parse(bytes) else { return mutateBytes(bytes) }
        var count = 0
        Self.countNodes(json, &count)
        var target = random.below(count)
        let mutated = mutateNode(json, target: &target)
        return Array(mutated.serialized().utf8)
    }

    private static func countNodes(_ json: JSON, _ count: inout Int) {
        count += 1
        switch json {
        case .array(let items): for item in items { countNodes(item, &count) }
        case .object(let object): for (_, value) in object { countNodes(value, &count) }
        default: break
        }
    }

    /// Rebuilds `json`, replacing the node whose pre-order index is `target` (counted down as nodes are passed).
    private mutating func mutateNode(_ json: JSON, target: inout Int) -> JSON {
        if target == 0 { target = -1; return replacement(for: json) }
        target -= 1
        switch json {
        case .array(let items):
            return .array(items.map { mutateNode($0, target: &target) })
        case .object(let object):
            var out = JSONObject()
            for (key, value) in object { out[key] = mutateNode(value, target: &target) }
            return .object(out)
        default:
            return json
        }
    }

    private mutating func replacement(for json: JSON) -> JSON {
        let hostile = Self.hostileIntegers[random.below(Self.hostileIntegers.count)]
        switch random.below(10) {
        case 0: return .int(hostile)
        case 1: return .double([1e308, -1e308, 0.5, -0.0, .leastNonzeroMagnitude, 3.5, .nan, .infinity][random.below(8)])
        case 2: return .string(["", "relu", "float16", "valid", "same", "channels_first", "Dense", "x\u{0}y",
                                String(repeating: "a", count: 1000)][random.below(9)])
        case 3: return .null
        case 4: return .bool(random.chance(2))
        case 5: return .array([])
        case 6: return .object(JSONObject())
        case 7:   // nest the value a few levels deeper
            var v = json
            for _ in 0..<(1 + random.below(6)) { v = random.chance(2) ? .array([v]) : .object(["config": v]) }
            return v
        case 8:
            switch json {
            case .array(var items) where !items.isEmpty:
                let i = random.below(items.count)
                if random.chance(2) { items.append(items[i]) } else { items.remove(at: i) }
                return .array(items)
            case .object(var object) where !object.keys.isEmpty:
                _ = object.removeValue(forKey: object.keys[random.below(object.keys.count)])
                return .object(object)
            default:
                return .array([json, json])
            }
        default:
            if case .int(let v) = json { return .int([v &+ 1, v &- 1, 0 &- v, v &* 1000, 0][random.below(5)]) }   // wrapping: v may be Int.max
            if case .array(let items) = json, items.allSatisfy({ $0.intValue != nil || $0 == .null }) {
                return .array(items.map { _ in random.chance(3) ? .null : .int(Self.hostileIntegers[random.below(Self.hostileIntegers.count)]) })
            }
            return .int(hostile)
        }
    }

    // MARK: NPZ, NPY and pickles

    /// An `.npz` with one member damaged: its NPY header fields, or the pickle opcodes of an object array.
    mutating func mutateNPZ(_ bytes: [UInt8]) -> [UInt8]? {
        guard var members = Self.entries(ofZip: bytes), !members.isEmpty else { return nil }
        let i = random.below(members.count)
        members[i].bytes = mutateNPY(members[i].bytes)
        if random.chance(16) { members.append(members[i]) }
        return Self.zip(members, compressed: random.chance(2))
    }

    /// `.npy` bytes with a header field (`descr`, `fortran_order`, `shape`) changed, or — for an object array — its
    /// pickle damaged at the opcode level; the header's declared length is kept consistent.
    mutating func mutateNPY(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 10, bytes[6] == 1, bytes[0] == 0x93 else { return mutateBytes(bytes) }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        guard 10 + headerLength <= bytes.count else { return mutateBytes(bytes) }
        var header = String(decoding: bytes[10..<10 + headerLength], as: UTF8.self)
        var data = Array(bytes[(10 + headerLength)...])
        if header.contains("'|O'") && !random.chance(3) {
            data = mutatePickle(data)
        } else {
            header = mutateNPYHeader(header)
        }
        let headerBytes = Array(header.utf8)
        return Array(bytes[0..<8]) + [UInt8(headerBytes.count & 0xFF), UInt8(headerBytes.count >> 8 & 0xFF)] + headerBytes + data
    }

    private mutating func mutateNPYHeader(_ header: String) -> String {
        switch random.below(4) {
        case 0:
            let descrs = ["<f4", ">f4", "<f8", ">f8", "<f2", ">i2", "|u1", "|b1", "<i8", ">u8", "|O", "<c8", "|f4", "<U3", "=f4", "<V4"]
            guard let r = header.range(of: #"'descr': '[^']*'"#, options: .regularExpression) else { return header }
            return header.replacingCharacters(in: r, with: "'descr': '\(descrs[random.below(descrs.count)])'")
        case 1:
            return header.contains("False") ? header.replacingOccurrences(of: "False", with: "True")
                                            : header.replacingOccurrences(of: "True", with: "False")
        case 2:
            guard let r = header.range(of: #"'shape': \([^)]*\)"#, options: .regularExpression) else { return header }
            let dims = (0..<random.below(5)).map { _ in random.chance(3) ? "\(Self.hostileIntegers[random.below(Self.hostileIntegers.count)])" : "\(random.below(9))" }
            return header.replacingCharacters(in: r, with: "'shape': (\(dims.joined(separator: ", "))\(dims.count == 1 ? "," : ""))")
        default:
            return String(header.dropLast(1 + random.below(max(1, header.count / 2))))
        }
    }

    /// Pickle opcodes that take no argument, and those followed by a 1-, 2-, 4- or 8-byte argument or length.
    static let bareOpcodes: [UInt8] = [0x28, 0x29, 0x2E, 0x4E, 0x52, 0x5D, 0x61, 0x62, 0x65, 0x6C, 0x73, 0x74, 0x75, 0x7D,
                                       0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8F, 0x90, 0x92, 0x93, 0x94, 0x30, 0x31]
    static let argumentOpcodes: [(opcode: UInt8, size: Int)] = [(0x4B, 1), (0x4D, 2), (0x4A, 4), (0x68, 1), (0x6A, 4), (0x71, 1),
                                                                (0x72, 4), (0x8C, 1), (0x43, 1), (0x42, 4), (0x58, 4), (0x47, 8), (0x8A, 1)]

    /// A pickle with opcodes inserted, removed or replaced, or with a length or memo index changed.
    mutating func mutatePickle(_ pickle: [UInt8]) -> [UInt8] {
        var p = pickle
        guard p.count > 4 else { return mutateBytes(p) }
        let at = 2 + random.below(p.count - 3)
        switch random.below(5) {
        case 0:   // insert a bare opcode (a MARK, a BUILD, an APPENDS …)
            p.insert(Self.bareOpcodes[random.below(Self.bareOpcodes.count)], at: at)
        case 1:   // insert an opcode with a hostile argument (memo index, length, float bits)
            let (opcode, size) = Self.argumentOpcodes[random.below(Self.argumentOpcodes.count)]
            let value = UInt64(bitPattern: Int64(Self.hostileIntegers[random.below(Self.hostileIntegers.count)]))
            p.insert(contentsOf: [opcode] + (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }, at: at)
        case 2:   // replace an opcode with another of the same family
            if let i = (at..<p.count).first(where: { Self.bareOpcodes.contains(p[$0]) }) {
                p[i] = Self.bareOpcodes[random.below(Self.bareOpcodes.count)]
            }
        case 3:   // a self-reference: re-fetch memo 0 and append it where a list is open
            p.insert(contentsOf: [0x68, UInt8(random.below(4)), [0x61, 0x65, 0x73, 0x85][random.below(4)]], at: at)
        default:  // duplicate a run of opcodes (shared objects, repeated BUILDs)
            let length = min(p.count - 1 - at, 1 + random.below(24))
            if length > 0 { p.insert(contentsOf: p[at..<at + length], at: at) }
        }
        return p
    }

    // MARK: HDF5

    /// An HDF5 image with one of its structures damaged where the reader interprets it: a field right after a
    /// structure's signature (symbol-table node, B-tree, local heap, object header v2, fractal heap), a v1 object
    /// header message's type or size, or a superblock address.
    mutating func mutateHDF5(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        let signatures = ["TREE", "HEAP", "SNOD", "OHDR", "FRHP", "FHDB", "BTHD", "BTLF", "GCOL"].map { Array($0.utf8) }
        var places: [Int] = []
        if b.count > 8 {
            for i in 0..<(b.count - 4) where signatures.contains(where: { b[i..<i + 4].elementsEqual($0) }) { places.append(i + 4) }
        }
        let hostile = UInt64(bitPattern: Int64(Self.hostileIntegers[random.below(Self.hostileIntegers.count)]))
        func write(_ value: UInt64, at offset: Int, size: Int) {
            for k in 0..<size where offset + k < b.count { b[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
        }
        switch random.below(3) {
        case 0 where !places.isEmpty:   // a field a few bytes after a signature: versions, sizes, counts, addresses
            let at = places[random.below(places.count)] + random.below(24)
            write(hostile, at: at, size: [1, 2, 4, 8][random.below(4)])
        case 1 where b.count > 64:      // the superblock's addresses (base, free space, end of file, root)
            write(random.chance(2) ? hostile : UInt64(random.below(b.count)), at: 24 + 8 * random.below(4), size: 8)
        default:                        // a plausible v1 object header message: its type or its size
            let candidates = (0..<max(0, b.count - 16)).filter { b[$0] == 1 && b[$0 + 1] == 0 && b[$0 + 2] < 64 && b[$0 + 3] == 0 }
            if let at = candidates.isEmpty ? nil : candidates[random.below(candidates.count)] {
                write(random.chance(2) ? UInt64(random.below(24)) : hostile, at: at + 16 + random.below(4), size: 2)
            } else {
                b = mutateBytes(b)
            }
        }
        return b
    }
}

extension StructuredMutator.Random: RandomNumberGenerator {}
