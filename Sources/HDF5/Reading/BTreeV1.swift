/// A version 1 B-tree (`TREE` nodes): the index of a symbol table's nodes (type 0) and of a dataset's chunks
/// (type 1). Nodes are visited at most once and levels must fall by one per step, so a corrupted tree can neither
/// loop nor fan out without bound.
enum BTreeV1 {
    static let maximumNodes = 1 << 16

    /// Calls `leaf(key, child)` for every entry of every leaf node under `root`, in key order; `key` covers the
    /// entry's `keySize`-byte key.
    static func walk(root: UInt64, type: UInt8, keySize: Int, image: FileImage, context: String,
                     leaf: (inout Cursor, UInt64) throws -> Void) throws {
        var visited: Set<UInt64> = []
        func visit(_ address: UInt64, level expected: Int?) throws {
            guard visited.insert(address).inserted, visited.count <= maximumNodes else {
                throw image.corrupt("\(context) revisits a node")
            }
            var node = try image.cursor(at: address, "a node of \(context)")
            try node.expect(signature: "TREE")
            guard try node.u8() == type else { throw image.corrupt("a node of \(context) has the wrong type") }
            let level = Int(try node.u8())
            guard expected.map({ $0 == level }) ?? true else { throw image.corrupt("a node of \(context) is at the wrong level") }
            let entries = try node.u16()
            try node.skip(2 * image.offsetSize)   // siblings
            for _ in 0..<entries {
                var key = Cursor(image: image, position: node.position, end: node.position + keySize, context: "a key of \(context)")
                try node.skip(keySize)
                guard let child = try node.address() else { throw image.corrupt("a node of \(context) has a child without an address") }
                if level > 0 { try visit(child, level: level - 1) } else { try leaf(&key, child) }
            }
        }
        try visit(root, level: nil)
    }
}
