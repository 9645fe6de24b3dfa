/// An object header (format versions 1 and 2): the messages that describe a group, a dataset or a named datatype,
/// gathered from the header and its continuation blocks.
struct ObjectHeader {
    /// One header message: its type and where its data lies in the file.
    struct Message {
        let type: MessageType
        let flags: UInt8
        let data: Range<Int>

        /// Whether the message is stored elsewhere and only referenced here (a shared message).
        var isShared: Bool { flags & 0x02 != 0 }
    }

    /// The message types this reader looks at (HDF5 file format §IV.A.2).
    enum MessageType: Int {
        case dataspace = 0x01, linkInfo = 0x02, datatype = 0x03, link = 0x06, dataLayout = 0x08
        case filterPipeline = 0x0B, attribute = 0x0C, continuation = 0x10, symbolTable = 0x11, attributeInfo = 0x15
        case other = -1
    }

    /// What an object is, judged from its messages as libhdf5 does.
    enum Kind { case group, dataset, other }

    let address: UInt64
    let messages: [Message]

    /// Limits against corrupted headers that chain or repeat continuation blocks.
    private static let maximumBlocks = 4096
    private static let maximumMessages = 1 << 16

    /// Reads the object header at `address`, following continuation blocks (each at most once).
    init(image: FileImage, address: UInt64) throws {
        self.address = address
        var header = try image.cursor(at: address, "the object header")
        var blocks: [(Cursor, version: Int, checksummed: Bool)] = []
        var storesCreationOrder = false
        if image.bytes[header.position] == 1 {
            // Version 1: version, reserved, message count, reference count, header size, 4 bytes of alignment.
            try header.skip(8)
            let size = try header.u32()
            try header.skip(4)
            let start = UInt64(header.position - image.base)
            blocks.append((try image.cursor(at: start, length: UInt64(size), "the object header at address \(address)"), 1, false))
        } else {
            try header.expect(signature: "OHDR")
            guard try header.u8() == 2 else { throw image.corrupt("the object header at address \(address) has an unknown version") }
            let flags = try header.u8()
            storesCreationOrder = flags & 0x04 != 0
            if flags & 0x20 != 0 { try header.skip(16) }   // access, modification, change and birth times
            if flags & 0x10 != 0 { try header.skip(4) }    // attribute storage phase change values
            let size = try header.uint(1 << Int(flags & 0x03))
            let start = UInt64(header.position - image.base)
            // Chunk 0's size counts its messages and gap; its checksum follows.
            blocks.append((try image.cursor(at: start, length: size, "the object header at address \(address)"), 2, false))
        }
        var messages: [Message] = []
        var visited: Set<Int> = []
        while !blocks.isEmpty {
            var (block, version, checksummed) = blocks.removeFirst()
            guard visited.insert(block.position).inserted, visited.count <= Self.maximumBlocks else {
                throw image.corrupt("the object header at address \(address) repeats a continuation block")
            }
            // A version 2 continuation block ends with a checksum; a gap shorter than a message header may precede it.
            let end = checksummed ? block.end - 4 : block.end
            let headerSize = version == 1 ? 8 : (storesCreationOrder ? 6 : 4)
            while end - block.position >= headerSize {
                let type = version == 1 ? try block.u16() : Int(try block.u8())
                let size = try block.u16()
                let flags = try block.u8()
                try block.skip(version == 1 ? 3 : (storesCreationOrder ? 2 : 0))
                guard size <= end - block.position else {
                    throw image.corrupt("a message of the object header at address \(address) runs past its block")
                }
                let data = try block.take(size)
                let message = Message(type: MessageType(rawValue: type) ?? .other, flags: flags, data: data)
                messages.append(message)
                guard messages.count <= Self.maximumMessages else { throw image.corrupt("the object header at address \(address) has too many messages") }
                if message.type == .continuation {
                    var continuation = Cursor(image: image, position: data.lowerBound, end: data.upperBound, context: "a continuation message")
                    guard let next = try continuation.address() else { throw image.corrupt("a continuation of the object header at address \(address) has no address") }
                    var cursor = try image.cursor(at: next, length: UInt64(try continuation.length()), "a continuation block of the object header at address \(address)")
                    if version == 2 { try cursor.expect(signature: "OCHK") }
                    blocks.append((cursor, version, version == 2))
                }
            }
        }
        self.messages = messages
    }

    /// The messages of one type, in header order.
    func messages(_ type: MessageType) -> [Message] { messages.filter { $0.type == type } }

    /// The first message of `type`, or nil.
    func message(_ type: MessageType) -> Message? { messages.first { $0.type == type } }

    var kind: Kind {
        if message(.symbolTable) != nil || message(.linkInfo) != nil || message(.link) != nil { return .group }
        if message(.dataLayout) != nil { return .dataset }
        return .other
    }

    /// Where the object keeps its links or attributes when the link info or attribute info message (`type`) says they
    /// are in dense storage: the fractal heap and the name-index B-tree. The message holds a version, flags, an
    /// optional maximum creation index (8 bytes for links, 2 for attributes), then the two addresses.
    func denseStorage(_ type: MessageType, image: FileImage) throws -> (heap: UInt64, names: UInt64)? {
        guard let info = message(type) else { return nil }
        var cursor = self.cursor(info, in: image, "the \(type) message of the object at address \(address)")
        _ = try cursor.u8()
        if try cursor.u8() & 0x01 != 0 { try cursor.skip(type == .linkInfo ? 8 : 2) }
        guard let heap = try cursor.address() else { return nil }
        guard let names = try cursor.address() else { throw image.corrupt("the object at address \(address) has a fractal heap but no name index") }
        return (heap, names)
    }

    /// A cursor over a message's data.
    func cursor(_ message: Message, in image: FileImage, _ context: String) -> Cursor {
        Cursor(image: image, position: message.data.lowerBound, end: message.data.upperBound, context: context)
    }
}
