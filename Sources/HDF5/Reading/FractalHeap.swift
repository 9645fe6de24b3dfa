/// A fractal heap (`FRHP`): where `libver="latest"` files keep the link messages of large groups and the attribute
/// messages of objects with many attributes ("dense storage"). Objects are found through a doubling table of direct
/// blocks (`FHDB`) and indirect blocks (`FHIB`); a heap ID holds an object's offset and length (managed objects) or
/// the object itself (tiny objects). Filtered (compressed) heaps and huge objects are refused.
struct FractalHeap {
    let image: FileImage
    /// For messages: whose heap this is.
    let context: String
    let idLength: Int
    /// Bytes of a heap offset (in IDs and block headers) and of a managed object's length (in IDs).
    let offsetBytes: Int
    let lengthBytes: Int
    let tableWidth: Int
    let startBlockSize: Int
    let maxDirectBlockSize: Int
    let rootAddress: UInt64?
    let rootRows: Int
    /// Whether direct blocks end their header with a checksum.
    let checksummedBlocks: Bool

    private static let maximumDepth = 16

    init(image: FileImage, address: UInt64, context: String) throws {
        (self.image, self.context) = (image, context)
        var c = try image.cursor(at: address, "the fractal heap of \(context)")
        try c.expect(signature: "FRHP")
        guard try c.u8() == 0 else { throw image.corrupt("the fractal heap of \(context) has an unknown version") }
        idLength = try c.u16()
        let filtersLength = try c.u16()
        checksummedBlocks = try c.u8() & 0x02 != 0
        let maxManagedSize = try c.u32()
        // next huge ID, huge object B-tree, free space, free-space manager, managed space, allocated space, iterator,
        // managed object count, huge size and count, tiny size and count
        try c.skip(10 * image.lengthSize + 2 * image.offsetSize)
        tableWidth = try c.u16()
        // Block sizes describe the heap's address space, not extents of the file: bounded here, checked when read.
        startBlockSize = Int(clamping: min(try c.uint(image.lengthSize), 1 << 40))
        maxDirectBlockSize = Int(clamping: min(try c.uint(image.lengthSize), 1 << 40))
        let maxHeapBits = try c.u16()
        try c.skip(2)   // starting rows of the root indirect block
        rootAddress = try c.address()
        rootRows = try c.u16()
        guard filtersLength == 0 else { throw image.unsupported("the fractal heap of \(context) is compressed") }
        func isPowerOfTwo(_ n: Int) -> Bool { n > 0 && n & (n - 1) == 0 }
        guard isPowerOfTwo(tableWidth), isPowerOfTwo(startBlockSize), isPowerOfTwo(maxDirectBlockSize), startBlockSize <= maxDirectBlockSize,
              (1...64).contains(maxHeapBits), rootRows <= 64, maxManagedSize > 0 else {
            throw image.corrupt("the fractal heap of \(context) declares an impossible doubling table")
        }
        offsetBytes = (maxHeapBits + 7) / 8
        lengthBytes = min((maxDirectBlockSize.trailingZeroBitCount + 7) / 8, Self.encodedSize(UInt64(maxManagedSize)))
        guard 1 + offsetBytes + lengthBytes <= idLength, lengthBytes <= 8 else {
            throw image.corrupt("the fractal heap of \(context) declares \(idLength)-byte heap IDs, too short for its offsets")
        }
    }

    /// The bytes needed to encode `value` (libhdf5's `H5VM_limit_enc_size`).
    static func encodedSize(_ value: UInt64) -> Int { (value == 0 ? 0 : (63 - value.leadingZeroBitCount)) / 8 + 1 }

    /// The file bytes of the object whose heap ID lies at `id` (in a B-tree record).
    func object(id: Range<Int>) throws -> Range<Int> {
        guard id.count >= idLength else { throw image.corrupt("a heap ID of \(context) is too short") }
        var c = Cursor(image: image, position: id.lowerBound, end: id.upperBound, context: "a heap ID of \(context)")
        let flags = try c.u8()
        guard flags >> 6 == 0 else { throw image.corrupt("a heap ID of \(context) has an unknown version") }
        switch (flags >> 4) & 0x03 {
        case 0:
            let offset = try c.uint(offsetBytes), length = try c.uint(lengthBytes)
            guard length > 0, let root = rootAddress else { throw image.corrupt("a heap ID of \(context) names no object") }
            if rootRows == 0 { return try inDirectBlock(root, blockOffset: 0, blockSize: UInt64(startBlockSize), offset, length) }
            return try inIndirectBlock(root, blockOffset: 0, rows: rootRows, offset, length, depth: 0)
        case 2:   // tiny: the object is in the ID
            let length = Int(flags & 0x0F) + 1
            return try c.take(length)
        default:
            throw image.unsupported("\(context) has objects stored outside its fractal heap's blocks (huge objects)")
        }
    }

    /// The size of the blocks of doubling-table row `row`, or nil when it overflows.
    private func blockSize(row: Int) -> UInt64? {
        guard row > 0 else { return UInt64(startBlockSize) }
        let shift = row - 1
        guard shift < UInt64(startBlockSize).leadingZeroBitCount else { return nil }
        return UInt64(startBlockSize) << UInt64(shift)
    }

    private func inIndirectBlock(_ address: UInt64, blockOffset: UInt64, rows: Int, _ offset: UInt64, _ length: UInt64, depth: Int) throws -> Range<Int> {
        guard depth < Self.maximumDepth, (0...64).contains(rows) else { throw image.corrupt("the fractal heap of \(context) nests its blocks too deeply") }
        var block = try image.cursor(at: address, "an indirect block of the fractal heap of \(context)")
        try block.expect(signature: "FHIB")
        guard try block.u8() == 0 else { throw image.corrupt("an indirect block of the fractal heap of \(context) has an unknown version") }
        try block.skip(image.offsetSize + offsetBytes)
        let directRows = maxDirectBlockSize.trailingZeroBitCount - startBlockSize.trailingZeroBitCount + 2
        guard offset >= blockOffset else { throw image.corrupt("a heap ID of \(context) points before its indirect block") }
        var rowStart = blockOffset
        for row in 0..<rows {
            guard let size = blockSize(row: row) else { break }
            let (span, overflow) = size.multipliedReportingOverflow(by: UInt64(tableWidth))
            guard !overflow else { break }
            if offset - rowStart < span {   // rowStart ≤ offset: checked before the loop, kept by each step
                let column = Int((offset - rowStart) / size)
                try block.skip((row * tableWidth + column) * image.offsetSize)
                guard let child = try block.address() else {
                    throw image.corrupt("a heap ID of \(context) points into an unallocated block of its fractal heap")
                }
                let childOffset = rowStart + UInt64(column) * size
                if row < directRows { return try inDirectBlock(child, blockOffset: childOffset, blockSize: size, offset, length) }
                let childRows = size.trailingZeroBitCount - (startBlockSize * tableWidth).trailingZeroBitCount + 1
                return try inIndirectBlock(child, blockOffset: childOffset, rows: childRows, offset, length, depth: depth + 1)
            }
            let (next, overflowed) = rowStart.addingReportingOverflow(span)
            guard !overflowed, next <= offset else { break }
            rowStart = next
        }
        throw image.corrupt("a heap ID of \(context) points beyond its fractal heap")
    }

    private func inDirectBlock(_ address: UInt64, blockOffset: UInt64, blockSize: UInt64, _ offset: UInt64, _ length: UInt64) throws -> Range<Int> {
        var block = try image.cursor(at: address, length: blockSize, "a direct block of the fractal heap of \(context)")
        let start = block.position
        try block.expect(signature: "FHDB")
        guard try block.u8() == 0 else { throw image.corrupt("a direct block of the fractal heap of \(context) has an unknown version") }
        try block.skip(image.offsetSize + offsetBytes + (checksummedBlocks ? 4 : 0))
        // Offsets count from the block's first byte, its header included.
        let header = UInt64(block.position - start)
        guard offset >= blockOffset, offset - blockOffset >= header, length <= blockSize, offset - blockOffset <= blockSize - length else {
            throw image.corrupt("a heap ID of \(context) points outside its direct block")
        }
        let from = start + Int(offset - blockOffset)
        return from..<(from + Int(length))
    }
}
