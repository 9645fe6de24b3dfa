import SystemZlib

/// Where a dataset's elements are (data layout message, version 3 or 4) and how they are filtered: compact (in the
/// header), contiguous, or chunked (a version 1 B-tree of chunks, optionally deflated, shuffled or checksummed, as
/// h5py writes `compression="gzip"`, `shuffle=True` and `fletcher32=True`).
struct DatasetStorage {
    enum Layout {
        case compact(Range<Int>)
        case contiguous(address: UInt64?, size: UInt64)
        case chunked(tree: UInt64?, chunk: [Int])
    }

    /// The filters this reader undoes (HDF5's filter identifiers).
    enum Filter: Int { case deflate = 1, shuffle = 2, fletcher32 = 3 }

    let layout: Layout
    /// The filters in the order they were applied when writing.
    let filters: [Filter]

    init(header: ObjectHeader, image: FileImage, what: String) throws {
        guard let message = header.message(.dataLayout) else { throw image.corrupt("\(what) has no data layout") }
        var cursor = header.cursor(message, in: image, "the data layout of \(what)")
        let version = try cursor.u8()
        guard version == 3 || version == 4 else { throw image.unsupported("\(what) uses data layout version \(version)") }
        switch try cursor.u8() {
        case 0:
            layout = .compact(try cursor.take(try cursor.u16()))
        case 1:
            layout = .contiguous(address: try cursor.address(), size: try cursor.uint(image.lengthSize))
        case 2 where version == 3:
            let dimensions = Int(try cursor.u8())
            guard dimensions >= 2, dimensions <= 33 else { throw image.corrupt("\(what) declares \(dimensions) chunk dimensions") }
            let tree = try cursor.address()
            layout = .chunked(tree: tree, chunk: try (0..<dimensions).map { _ in try cursor.u32() })
        case let layoutClass:
            throw image.unsupported("\(what) uses storage layout class \(layoutClass) of layout version \(version)")
        }
        filters = try header.message(.filterPipeline).map { try Self.filters(header.cursor($0, in: image, "the filters of \(what)"), image: image, what: what) } ?? []
    }

    /// A filter pipeline message, version 1 or 2.
    private static func filters(_ message: Cursor, image: FileImage, what: String) throws -> [Filter] {
        var cursor = message
        let version = try cursor.u8()
        let count = Int(try cursor.u8())
        if version == 1 { try cursor.skip(6) } else if version != 2 { throw image.corrupt("\(cursor.context) has an unknown version") }
        return try (0..<count).map { _ in
            let id = try cursor.u16()
            let nameLength = version == 1 || id >= 256 ? try cursor.u16() : 0
            _ = try cursor.u16()   // flags
            let values = try cursor.u16()
            try cursor.skip(version == 1 ? (nameLength + 7) / 8 * 8 : nameLength)
            try cursor.skip(4 * values + (version == 1 && values % 2 == 1 ? 4 : 0))
            guard let filter = Filter(rawValue: id) else {
                throw image.unsupported("\(what) is stored with HDF5 filter \(id) (e.g. a compression other than gzip)")
            }
            return filter
        }
    }

    /// The raw bytes of all `count` elements of `elementSize` bytes, in row-major order: a slice of the file itself
    /// unless the data is chunked. Every size is checked against the file before anything is allocated.
    func read(shape: [Int], count: Int, elementSize: Int, image: FileImage, what: String) throws -> ArraySlice<UInt8> {
        let total = count * elementSize
        switch layout {
        case .compact(let range):
            guard range.count == total else { throw image.corrupt("\(what): its compact storage holds \(range.count) bytes, not \(total)") }
            return image.bytes[range]
        case .contiguous(let address, let size):
            guard total > 0 else { return [] }
            guard filters.isEmpty else { throw image.corrupt("\(what) is filtered but not chunked") }
            guard let address else { throw HDF5Error("\(image.name): \(what) has no stored data") }
            guard size == UInt64(total) else { throw image.corrupt("\(what) stores \(size) bytes for its \(total)") }
            let cursor = try image.cursor(at: address, length: size, "the data of \(what)")
            return image.bytes[cursor.position..<cursor.end]
        case .chunked(let tree, let chunk):
            guard total > 0 else { return [] }
            guard let tree else { throw HDF5Error("\(image.name): \(what) has no stored data") }
            return try ChunkedRead(image: image, what: what, shape: shape, chunk: chunk, elementSize: elementSize, filters: filters)
                .read(tree: tree, total: total)[...]
        }
    }
}

/// Reading a chunked dataset: the chunks are listed from the B-tree and checked (each inside the dataset and the
/// file, every chunk present once, a plausible compressed size) before the output is allocated, then each is
/// unfiltered and copied into place.
private struct ChunkedRead {
    let image: FileImage
    let what: String
    let shape: [Int]
    /// The chunk's shape, with the element size as a last extra dimension (as the layout message stores it).
    let chunk: [Int]
    let elementSize: Int
    let filters: [DatasetStorage.Filter]

    struct Chunk { let offsets: [Int]; let address: UInt64; let size: Int; let filterMask: Int }

    /// deflate expands at most ~1032:1; a chunk claiming more is corrupt (and would allocate absurd memory).
    private static let maximumExpansion = 1100

    func read(tree: UInt64, total: Int) throws -> [UInt8] {
        guard chunk.count == shape.count + 1, chunk.last == elementSize, chunk.dropLast().allSatisfy({ $0 > 0 }) else {
            throw image.corrupt("\(what): its chunk shape \(chunk.dropLast()) does not fit its shape \(shape)")
        }
        let chunkShape = Array(chunk.dropLast())
        let (elements, overflow) = chunkShape.reduce((1, false)) { acc, n in
            let (p, o) = acc.0.multipliedReportingOverflow(by: n)
            return (p, acc.1 || o)
        }
        guard !overflow, elements <= (1 << 31) / elementSize else { throw image.corrupt("\(what): its chunks are absurdly large") }
        let chunkBytes = elements * elementSize
        let expected = zip(shape, chunkShape).reduce(1) { $0 * (($1.0 + $1.1 - 1) / $1.1) }
        var chunks: [Chunk] = []
        try collect(tree, into: &chunks, limit: expected)
        guard chunks.count == expected else {
            throw HDF5Error("\(image.name): \(what) stores \(chunks.count) of its \(expected) chunks (unwritten chunks are not read)")
        }
        // Chunks do not share storage, so together they fit in the file: with the expansion limit below, the output
        // is bounded by the file's size.
        guard chunks.reduce(0, { $0 + $1.size }) <= image.bytes.count else {
            throw image.corrupt("\(what): its chunks declare more stored bytes than the file has")
        }
        for c in chunks {
            let limit = filters.contains(.deflate) ? c.size * Self.maximumExpansion + 64 : c.size
            guard chunkBytes <= limit, filters.contains(.deflate) || c.size >= chunkBytes else {
                throw image.corrupt("\(what): a chunk of \(c.size) stored bytes cannot hold its \(chunkBytes)")
            }
        }
        var output = [UInt8](repeating: 0, count: total)
        for c in chunks {
            let stored = try image.cursor(at: c.address, length: UInt64(c.size), "a chunk of \(what)")
            let data = try unfilter(Array(image.bytes[stored.position..<stored.end]), mask: c.filterMask, expected: chunkBytes)
            place(data, at: c.offsets, chunkShape: chunkShape, into: &output)
        }
        return output
    }

    /// Collects the chunks of the B-tree at `tree` (type 1: keys are chunk size, filter mask and offsets).
    private func collect(_ tree: UInt64, into chunks: inout [Chunk], limit: Int) throws {
        var seen: Set<[Int]> = []
        try BTreeV1.walk(root: tree, type: 1, keySize: 8 + 8 * chunk.count, image: image, context: "the chunk B-tree of \(what)") { key, child in
            let size = try key.u32()
            let mask = try key.u32()
            let offsets = try chunk.indices.map { _ in Int(clamping: try key.uint(8)) }
            let inside = offsets.last == 0 && zip(offsets.dropLast(), zip(shape, chunk)).allSatisfy { offset, sizes in
                offset >= 0 && offset < sizes.0 && offset % sizes.1 == 0
            }
            guard inside, size > 0, seen.insert(offsets).inserted, chunks.count < limit else {
                throw image.corrupt("\(what) lists a chunk at \(offsets.dropLast()) that is outside it, empty or repeated")
            }
            chunks.append(Chunk(offsets: Array(offsets.dropLast()), address: child, size: size, filterMask: mask))
        }
    }

    /// Undoes the filters (last applied first), skipping those the chunk's mask marks as not applied.
    private func unfilter(_ stored: [UInt8], mask: Int, expected: Int) throws -> [UInt8] {
        var data = stored
        for (i, filter) in filters.enumerated().reversed() where mask & (1 << i) == 0 {
            switch filter {
            case .fletcher32:
                guard data.count >= 4 else { throw image.corrupt("a checksummed chunk of \(what) is too short") }
                data.removeLast(4)
            case .deflate:
                data = try inflate(data, expected: expected)
            case .shuffle:
                data = unshuffle(data)
            }
        }
        guard data.count >= expected else { throw image.corrupt("a chunk of \(what) holds \(data.count) bytes, not \(expected)") }
        return data.count == expected ? data : Array(data.prefix(expected))
    }

    /// zlib-decompresses into exactly `expected` bytes.
    private func inflate(_ data: [UInt8], expected: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expected)
        var length = uLongf(expected)
        let status = output.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { uncompress(out.baseAddress, &length, $0.baseAddress, uLong($0.count)) }
        }
        guard status == Z_OK, Int(length) == expected else {
            throw image.corrupt("a gzip-compressed chunk of \(what) does not decompress to its \(expected) bytes (zlib status \(status))")
        }
        return output
    }

    /// Undoes the shuffle filter: byte k of every element was stored together, for each k.
    private func unshuffle(_ data: [UInt8]) -> [UInt8] {
        let count = data.count / elementSize
        guard elementSize > 1, count > 1 else { return data }
        var output = data
        for k in 0..<elementSize {
            for i in 0..<count { output[i * elementSize + k] = data[k * count + i] }
        }
        return output
    }

    /// Copies the part of a chunk that lies inside the dataset into the row-major output.
    private func place(_ data: [UInt8], at offsets: [Int], chunkShape: [Int], into output: inout [UInt8]) {
        let rank = shape.count
        let extent = (0..<rank).map { min(chunkShape[$0], shape[$0] - offsets[$0]) }
        let rowBytes = extent[rank - 1] * elementSize
        var index = [Int](repeating: 0, count: rank)   // position inside the chunk, last axis always 0
        while true {
            var source = 0, target = 0
            for d in 0..<rank {
                source = source * chunkShape[d] + index[d]
                target = target * shape[d] + offsets[d] + index[d]
            }
            output.withUnsafeMutableBytes { out in
                data.withUnsafeBytes { src in
                    out.baseAddress!.advanced(by: target * elementSize).copyMemory(from: src.baseAddress!.advanced(by: source * elementSize), byteCount: rowBytes)
                }
            }
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                if index[d] < extent[d] { break }
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }
}
