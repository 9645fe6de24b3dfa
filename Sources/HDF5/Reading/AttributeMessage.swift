/// An attribute message (versions 1 to 3): a name, a datatype, a dataspace and the values. The name is read when the
/// message is listed; the rest only when the attribute is read, so one damaged attribute does not hide the others.
struct AttributeMessage {
    let name: String
    let flags: UInt8
    let typeBytes: Range<Int>
    let spaceBytes: Range<Int>
    let dataStart: Int
    let end: Int

    /// The attribute messages of an object: in its header, or in a fractal heap indexed by a version 2 B-tree of
    /// (heap ID, flags, creation order, name hash) records (dense storage).
    static func all(in header: ObjectHeader, image: FileImage, what: String) throws -> [AttributeMessage] {
        var messages = try header.messages(.attribute).map { try AttributeMessage(header.cursor($0, in: image, "an attribute message of \(what)")) }
        if let dense = try header.denseStorage(.attributeInfo, image: image) {
            let heap = try FractalHeap(image: image, address: dense.heap, context: what)
            try BTreeV2.walk(header: dense.names, type: 8, image: image, context: what) { record in
                guard record.count >= 9 else { throw image.corrupt("the attribute index of \(what) has short records") }
                let object = try heap.object(id: record.lowerBound..<(record.upperBound - 9))
                messages.append(try AttributeMessage(Cursor(image: image, position: object.lowerBound, end: object.upperBound, context: "an attribute message of \(what)")))
                guard messages.count <= 1 << 20 else { throw image.corrupt("\(what) declares too many attributes") }
            }
        }
        return messages
    }

    init(_ message: Cursor) throws {
        var cursor = message
        let version = try cursor.u8()
        guard (1...3).contains(version) else { throw cursor.image.corrupt("\(cursor.context) has an unknown version \(version)") }
        flags = try cursor.u8()
        let nameSize = try cursor.u16(), typeSize = try cursor.u16(), spaceSize = try cursor.u16()
        if version == 3 { try cursor.skip(1) }   // the name's character set
        func padded(_ size: Int) -> Int { version == 1 ? (size + 7) / 8 * 8 : size }
        guard nameSize > 0 else { throw cursor.image.corrupt("\(cursor.context) has an empty name") }
        name = String(decoding: try cursor.bytes(nameSize).prefix { $0 != 0 }, as: UTF8.self)
        try cursor.skip(padded(nameSize) - nameSize)
        typeBytes = try cursor.take(typeSize)
        try cursor.skip(padded(typeSize) - typeSize)
        spaceBytes = try cursor.take(spaceSize)
        try cursor.skip(min(cursor.remaining, padded(spaceSize) - spaceSize))
        (dataStart, end) = (cursor.position, cursor.end)
    }

    /// The datatype, dataspace and raw values; `what` names the attribute in messages.
    func read(image: FileImage, what: String) throws -> (type: Datatype, space: Dataspace, raw: ArraySlice<UInt8>) {
        guard flags & 0x03 == 0 else { throw image.unsupported("\(what) uses a shared datatype or dataspace") }
        var typeCursor = Cursor(image: image, position: typeBytes.lowerBound, end: typeBytes.upperBound, context: "the datatype of \(what)")
        var spaceCursor = Cursor(image: image, position: spaceBytes.lowerBound, end: spaceBytes.upperBound, context: "the dataspace of \(what)")
        let type = try Datatype(&typeCursor), space = try Dataspace(&spaceCursor)
        let (total, overflow) = space.count.multipliedReportingOverflow(by: type.size)
        guard !overflow, total <= end - dataStart else {
            throw image.corrupt("\(what) declares \(space.count) values of \(type.size) bytes, more than its message holds")
        }
        return (type, space, image.bytes[dataStart..<(dataStart + total)])
    }
}
