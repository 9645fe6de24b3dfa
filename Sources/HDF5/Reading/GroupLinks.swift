/// The links of a group, read from either storage h5py writes: a symbol table (a version 1 B-tree of symbol table
/// nodes with names in a local heap, the "earliest" format every Keras file uses) or link messages in the object
/// header (compact storage, used once a group holds an external link, or by `libver="latest"` files), or link
/// messages in a fractal heap indexed by a version 2 B-tree (dense storage, for large groups of `libver="latest"`
/// files).
struct GroupLinks {
    /// Where a link points.
    enum Target: Equatable {
        /// An object header in this file.
        case hard(UInt64)
        /// A path, absolute or relative to the link's group.
        case soft(String)
        /// Another file, or a link class this reader does not follow.
        case unfollowable
    }

    /// The links by name.
    let targets: [String: Target]
    /// The names in HDF5's name order (by the bytes of their UTF-8 encoding).
    let names: [String]

    /// A limit against corrupted symbol tables.
    private static let maximumLinks = 1 << 20

    /// Reads the links of the group whose header is `header`; `path` names the group in messages.
    init(header: ObjectHeader, image: FileImage, path: String) throws {
        var links: [(String, Target)] = []
        if let table = header.message(.symbolTable) {
            var cursor = header.cursor(table, in: image, "the symbol table message of group '\(path)'")
            guard let tree = try cursor.address(), let heap = try cursor.address() else {
                throw image.corrupt("the symbol table of group '\(path)' has no B-tree or heap address")
            }
            links = try Self.symbolTable(tree: tree, heap: heap, image: image, path: path)
        } else {
            if let dense = try header.denseStorage(.linkInfo, image: image) {
                // Dense storage: link messages in a fractal heap, indexed by a B-tree of (name hash, heap ID) records.
                let context = "group '\(path)'"
                let heap = try FractalHeap(image: image, address: dense.heap, context: context)
                try BTreeV2.walk(header: dense.names, type: 5, image: image, context: context) { record in
                    let object = try heap.object(id: (record.lowerBound + 4)..<record.upperBound)
                    var cursor = Cursor(image: image, position: object.lowerBound, end: object.upperBound, context: "a link message of \(context)")
                    links.append(try Self.link(&cursor))
                    guard links.count <= Self.maximumLinks else { throw image.corrupt("\(context) declares too many links") }
                }
            }
            for message in header.messages(.link) {
                var cursor = header.cursor(message, in: image, "a link message of group '\(path)'")
                links.append(try Self.link(&cursor))
            }
        }
        targets = Dictionary(links, uniquingKeysWith: { first, _ in first })
        names = targets.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// A link message: version, flags, optional type / creation order / character set, the name, then the target.
    private static func link(_ cursor: inout Cursor) throws -> (String, Target) {
        guard try cursor.u8() == 1 else { throw cursor.image.corrupt("\(cursor.context) has an unknown version") }
        let flags = try cursor.u8()
        let type = flags & 0x08 != 0 ? try cursor.u8() : 0
        if flags & 0x04 != 0 { try cursor.skip(8) }
        if flags & 0x10 != 0 { try cursor.skip(1) }
        let nameLength = try cursor.uint(1 << Int(flags & 0x03))
        guard nameLength > 0, nameLength <= UInt64(cursor.remaining) else { throw cursor.image.corrupt("\(cursor.context) declares a name of \(nameLength) bytes") }
        let name = String(decoding: try cursor.bytes(Int(nameLength)), as: UTF8.self)
        switch type {
        case 0:
            guard let address = try cursor.address() else { throw cursor.image.corrupt("\(cursor.context) ('\(name)') has no address") }
            return (name, .hard(address))
        case 1:
            return (name, .soft(try cursor.name(try cursor.u16())))
        default:
            return (name, .unfollowable)
        }
    }

    /// Walks a symbol table's B-tree (type 0: keys are heap offsets, leaves are symbol table nodes).
    private static func symbolTable(tree: UInt64, heap: UInt64, image: FileImage, path: String) throws -> [(String, Target)] {
        let names = try LocalHeap(image: image, address: heap, path: path)
        var links: [(String, Target)] = []
        func symbols(_ address: UInt64) throws {
            var node = try image.cursor(at: address, "a symbol table node of group '\(path)'")
            try node.expect(signature: "SNOD")
            try node.skip(2)   // version, reserved
            let count = try node.u16()
            for _ in 0..<count {
                let nameOffset = try node.uint(image.offsetSize)
                let object = try node.address()
                let cacheType = try node.u32()
                try node.skip(4)
                var scratch = Cursor(image: image, position: node.position, end: node.position + 16, context: node.context)
                try node.skip(16)
                let name = try names.string(at: nameOffset)
                if cacheType == 2 {
                    links.append((name, .soft(try names.string(at: try scratch.uint(4)))))
                } else {
                    guard let object else { throw image.corrupt("the link '\(name)' of group '\(path)' has no address") }
                    links.append((name, .hard(object)))
                }
                guard links.count <= maximumLinks else { throw image.corrupt("group '\(path)' declares too many links") }
            }
        }
        try BTreeV1.walk(root: tree, type: 0, keySize: image.lengthSize, image: image, context: "the B-tree of group '\(path)'") { _, child in
            try symbols(child)
        }
        return links
    }
}

/// A local heap (`HEAP`): the NUL-terminated names of a symbol table's links.
struct LocalHeap {
    let image: FileImage
    let data: Range<Int>
    let path: String

    init(image: FileImage, address: UInt64, path: String) throws {
        var header = try image.cursor(at: address, "the local heap of group '\(path)'")
        try header.expect(signature: "HEAP")
        try header.skip(4)   // version, reserved
        let size = try header.length()
        try header.skip(image.lengthSize)   // free list
        guard let dataAddress = try header.address() else { throw image.corrupt("the local heap of group '\(path)' has no data") }
        let segment = try image.cursor(at: dataAddress, length: UInt64(size), "the local heap of group '\(path)'")
        (self.image, self.data, self.path) = (image, segment.position..<segment.end, path)
    }

    /// The NUL-terminated string at `offset` in the heap's data.
    func string(at offset: UInt64) throws -> String {
        guard offset < UInt64(data.count) else { throw image.corrupt("a name of group '\(path)' lies outside its local heap") }
        let start = data.lowerBound + Int(offset)
        guard let end = image.bytes[start..<data.upperBound].firstIndex(of: 0) else {
            throw image.corrupt("a name of group '\(path)' is not terminated within its local heap")
        }
        return String(decoding: image.bytes[start..<end], as: UTF8.self)
    }
}
