/// A version 2 B-tree (`BTHD` header, `BTIN` internal and `BTLF` leaf nodes): the name index of a dense group's links
/// (record type 5) or of an object's dense attributes (type 8). Nodes are visited at most once, each level's record
/// count is bounded by what a node can hold, and levels fall by one per step.
enum BTreeV2 {
    /// Calls `record` with the file bytes of every record, in order.
    static func walk(header address: UInt64, type: UInt8, image: FileImage, context: String, record: (Range<Int>) throws -> Void) throws {
        var header = try image.cursor(at: address, "the B-tree header of \(context)")
        try header.expect(signature: "BTHD")
        guard try header.u8() == 0, try header.u8() == type else { throw image.corrupt("the B-tree of \(context) has an unknown version or type") }
        let nodeSize = try header.u32(), recordSize = try header.u16(), depth = try header.u16()
        try header.skip(2)   // split and merge percentages
        let root = try header.address()
        let rootRecords = try header.u16()
        // Header and checksum of every node: signature, version, type; checksum.
        let prefix = 10
        guard nodeSize > prefix, nodeSize <= 1 << 24, recordSize > 0, recordSize <= nodeSize - prefix, depth <= 16 else {
            throw image.corrupt("the B-tree of \(context) declares impossible node sizes")
        }
        guard let root else { return }
        // What each level's nodes can hold, and the widths of the counts stored with child pointers (libhdf5's
        // H5B2__hdr_init): level 0 is the leaves.
        var maxRecords = [(nodeSize - prefix) / recordSize]
        var cumulative = [UInt64(maxRecords[0])]
        let countBytes = FractalHeap.encodedSize(UInt64(maxRecords[0]))
        var cumulativeBytes = [FractalHeap.encodedSize(cumulative[0])]
        if depth > 0 {
            for level in 1...depth {
                let pointer = image.offsetSize + countBytes + cumulativeBytes[level - 1]
                let capacity = max(0, (nodeSize - prefix - pointer) / (recordSize + pointer))
                maxRecords.append(capacity)
                let (product, o1) = UInt64(capacity + 1).multipliedReportingOverflow(by: cumulative[level - 1])
                let (sum, o2) = product.addingReportingOverflow(UInt64(capacity))
                cumulative.append(o1 || o2 ? .max : sum)
                cumulativeBytes.append(min(8, FractalHeap.encodedSize(cumulative[level])))
            }
        }
        var visited: Set<UInt64> = []
        func visit(_ node: UInt64, level: Int, count: Int) throws {
            guard count <= maxRecords[level], visited.insert(node).inserted, visited.count <= BTreeV1.maximumNodes else {
                throw image.corrupt("the B-tree of \(context) has an impossible or repeated node")
            }
            var c = try image.cursor(at: node, length: UInt64(nodeSize), "a B-tree node of \(context)")
            try c.expect(signature: level == 0 ? "BTLF" : "BTIN")
            guard try c.u8() == 0, try c.u8() == type else { throw image.corrupt("a B-tree node of \(context) has an unknown version or type") }
            let records = try (0..<count).map { _ in try c.take(recordSize) }
            guard level > 0 else { return try records.forEach(record) }
            for i in 0...count {
                guard let child = try c.address() else { throw image.corrupt("a B-tree node of \(context) has a child without an address") }
                let childCount = try c.uint(countBytes)
                if level > 1 { try c.skip(cumulativeBytes[level - 1]) }
                try visit(child, level: level - 1, count: Int(clamping: childCount))
                if i < count { try record(records[i]) }
            }
        }
        try visit(root, level: depth, count: rootRecords)
    }
}
