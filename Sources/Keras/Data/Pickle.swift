/// A restricted reader for Python pickles that never executes anything: globals stay symbolic names, calls
/// (`REDUCE`, `NEWOBJ`) and `BUILD` become inert nodes. Enough to walk the object graphs Keras writes into
/// `model.weights.npz` and pull out the NumPy array bytes inside; anything else is refused.
final class PickleBox {
    var items: [PickleValue] = []
    var pairs: [(PickleValue, PickleValue)] = []
}

/// A value in a pickle's object graph.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleBox)
    case dict(PickleBox)
    case global(module: String, name: String)
    /// `callable(*arguments)`, with the state given to `__setstate__` by `BUILD`, if any.
    case call(callable: PickleValue, arguments: PickleValue, state: PickleBox)

    var intValue: Int? { if case .int(let v) = self { return v } else { return nil } }
    var stringValue: String? { if case .string(let v) = self { return v } else { return nil } }
    var tupleValue: [PickleValue]? { if case .tuple(let v) = self { return v } else { return nil } }

    /// The entries of a dict, or of a list (by position).
    var dictPairs: [(PickleValue, PickleValue)] {
        switch self {
        case .dict(let box): return box.pairs
        default: return []
        }
    }

    /// The value under string key `key` of a dict.
    subscript(key: String) -> PickleValue? {
        dictPairs.first { $0.0.stringValue == key }?.1
    }
}

/// A pickle that cannot be read.
struct PickleError: Error, CustomStringConvertible {
    let description: String
}

enum Pickle {
    /// The largest pickle this reader walks, and the deepest stack it keeps (guards against hostile input).
    static let maximumOperations = 10_000_000
    /// The deepest nesting of tuples and calls a pickle may build (NumPy's and Keras's nest a few levels).
    static let maximumNesting = 256

    /// Reads one pickled object.
    static func load(_ bytes: [UInt8]) throws -> PickleDocument {
        var reader = PickleReader(bytes: bytes)
        let root = try reader.run()
        return PickleDocument(root: root, boxes: reader.boxes)
    }
}

/// A pickle's object graph, which owns its lists and dicts.
///
/// A pickle can make lists that contain themselves (a reference cycle, which would leak) and chains of lists
/// nested a million deep (whose release would recurse a million frames deep and overflow the stack). The document
/// keeps every box it created and empties them all when it goes away, so each box is released on its own: the
/// values read from a document must not outlive it. (Nesting of tuples and calls, which are values, is bounded by
/// `Pickle.maximumNesting` while reading.)
final class PickleDocument {
    /// The pickled object.
    let root: PickleValue
    private let boxes: [PickleBox]

    init(root: PickleValue, boxes: [PickleBox]) {
        self.root = root
        self.boxes = boxes
    }

    deinit {
        for box in boxes {
            box.items = []
            box.pairs = []
        }
    }
}

private struct PickleReader {
    let bytes: [UInt8]
    var pos = 0
    var stack: [PickleValue] = []
    /// The nesting depth of each value on `stack` (a box counts as 0: its contents are released on their own).
    var depths: [Int] = []
    var marks: [Int] = []
    var memo: [Int: (value: PickleValue, depth: Int)] = [:]
    /// Every list and dict made, for `PickleDocument`.
    var boxes: [PickleBox] = []

    init(bytes: [UInt8]) { self.bytes = bytes }

    func fail(_ what: String) -> PickleError { PickleError(description: "pickle at byte \(pos): \(what)") }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - pos else { throw fail("truncated (needs \(n) more bytes)") }
        defer { pos += n }
        return bytes[pos..<pos + n]
    }

    mutating func uint(_ n: Int) throws -> Int {
        try take(n).reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    mutating func push(_ value: PickleValue, depth: Int = 0) {
        stack.append(value)
        depths.append(depth)
    }

    /// Pushes a value made of `parts` (a tuple, a call), one level deeper than the deepest part.
    mutating func push(_ value: PickleValue, containing parts: [Int]) throws {
        let depth = 1 + (parts.max() ?? 0)
        guard depth <= Pickle.maximumNesting else { throw fail("objects nested more than \(Pickle.maximumNesting) deep") }
        push(value, depth: depth)
    }

    /// A new empty list or dict box, remembered for `PickleDocument`.
    mutating func box(_ items: [PickleValue] = []) -> PickleBox {
        let box = PickleBox()
        box.items = items
        boxes.append(box)
        return box
    }

    mutating func pop() throws -> (value: PickleValue, depth: Int) {
        guard let v = stack.popLast(), let d = depths.popLast() else { throw fail("stack underflow") }
        return (v, d)
    }

    /// The value on top of the stack, left there (what the memo opcodes store).
    func top() throws -> (value: PickleValue, depth: Int) {
        guard let v = stack.last, let d = depths.last else { throw fail("stack underflow") }
        return (v, d)
    }

    mutating func popMark() throws -> (values: [PickleValue], depths: [Int]) {
        guard let mark = marks.popLast(), mark <= stack.count else { throw fail("no MARK") }
        defer { stack.removeSubrange(mark...); depths.removeSubrange(mark...) }
        return (Array(stack[mark...]), Array(depths[mark...]))
    }

    mutating func string(_ n: Int) throws -> String {
        String(decoding: try take(n), as: UTF8.self)
    }

    mutating func run() throws -> PickleValue {
        var operations = 0
        while true {
            operations += 1
            guard operations <= Pickle.maximumOperations, stack.count < 1_000_000 else { throw fail("too large") }
            let op = try uint(1)
            switch op {
            case 0x80: _ = try uint(1)                                      // PROTO
            case 0x95: _ = try uint(8)                                      // FRAME
            case 0x2E: return try pop().value                               // STOP
            case 0x28: marks.append(stack.count)                            // MARK
            case 0x4E: push(.none)                                          // NONE
            case 0x88: push(.bool(true))                                    // NEWTRUE
            case 0x89: push(.bool(false))                                   // NEWFALSE
            case 0x4B: push(.int(try uint(1)))                              // BININT1
            case 0x4D: push(.int(try uint(2)))                              // BININT2
            case 0x4A: push(.int(Int(Int32(truncatingIfNeeded: try uint(4)))))  // BININT
            case 0x8A:                                                      // LONG1
                let n = try uint(1)
                guard n <= 8 else { throw fail("integer too large") }
                let raw = try take(n)
                var v = raw.reversed().reduce(0) { $0 << 8 | Int($1) }
                if n > 0, n < 8, (raw.last ?? 0) & 0x80 != 0 { v -= 1 << (8 * n) }
                push(.int(v))
            case 0x47:                                                      // BINFLOAT (big-endian)
                push(.float(Double(bitPattern: try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
            case 0x8C: push(.string(try string(try uint(1))))               // SHORT_BINUNICODE
            case 0x58: push(.string(try string(try uint(4))))               // BINUNICODE
            case 0x8D: push(.string(try string(try uint(8))))               // BINUNICODE8
            case 0x43: push(.bytes(Array(try take(try uint(1)))))           // SHORT_BINBYTES
            case 0x42: push(.bytes(Array(try take(try uint(4)))))           // BINBYTES
            case 0x8E, 0x96: push(.bytes(Array(try take(try uint(8)))))     // BINBYTES8, BYTEARRAY8
            case 0x29: push(.tuple([]))                                     // EMPTY_TUPLE
            case 0x85: let a = try pop(); try push(.tuple([a.value]), containing: [a.depth])            // TUPLE1
            case 0x86: let b = try pop(), a = try pop(); try push(.tuple([a.value, b.value]), containing: [a.depth, b.depth])  // TUPLE2
            case 0x87:                                                      // TUPLE3
                let c = try pop(), b = try pop(), a = try pop()
                try push(.tuple([a.value, b.value, c.value]), containing: [a.depth, b.depth, c.depth])
            case 0x74: let items = try popMark(); try push(.tuple(items.values), containing: items.depths)  // TUPLE
            case 0x5D, 0x8F: push(.list(box()))                             // EMPTY_LIST, EMPTY_SET
            case 0x7D: push(.dict(box()))                                   // EMPTY_DICT
            case 0x6C: push(.list(box(try popMark().values)))               // LIST
            case 0x61, 0x65, 0x90:                                          // APPEND, APPENDS, ADDITEMS
                let items = op == 0x61 ? [try pop().value] : try popMark().values
                guard case .list(let box)? = stack.last else { throw fail("append to a non-list") }
                box.items += items
            case 0x73, 0x75:                                                // SETITEM, SETITEMS
                let items = op == 0x73 ? try { let v = try pop(); let k = try pop(); return [k.value, v.value] }() : try popMark().values
                guard items.count % 2 == 0, case .dict(let box)? = stack.last else { throw fail("setitem on a non-dict") }
                for i in stride(from: 0, to: items.count, by: 2) { box.pairs.append((items[i], items[i + 1])) }
            case 0x94: memo[memo.count] = try top()                         // MEMOIZE
            case 0x71: memo[try uint(1)] = try top()                        // BINPUT
            case 0x72: memo[try uint(4)] = try top()                        // LONG_BINPUT
            case 0x68, 0x6A:                                                // BINGET, LONG_BINGET
                let key = try uint(op == 0x68 ? 1 : 4)
                guard let v = memo[key] else { throw fail("memo \(key) is empty") }
                push(v.value, depth: v.depth)
            case 0x93:                                                      // STACK_GLOBAL
                let name = try pop().value, module = try pop().value
                push(.global(module: module.stringValue ?? "?", name: name.stringValue ?? "?"))
            case 0x63:                                                      // GLOBAL "module\nname\n"
                func line() throws -> String {
                    guard let end = bytes[pos...].firstIndex(of: 0x0A) else { throw fail("unterminated GLOBAL") }
                    defer { pos = end + 1 }
                    return String(decoding: bytes[pos..<end], as: UTF8.self)
                }
                push(.global(module: try line(), name: try line()))
            case 0x52, 0x81, 0x92:                                          // REDUCE, NEWOBJ, NEWOBJ_EX
                if op == 0x92 { _ = try pop() }
                let arguments = try pop(), callable = try pop()
                try push(.call(callable: callable.value, arguments: arguments.value, state: box()), containing: [callable.depth, arguments.depth])
            case 0x62:                                                      // BUILD
                let state = try pop().value
                guard case .call(_, _, let box)? = stack.last else { throw fail("BUILD on a non-object") }
                box.items.append(state)
            default:
                throw fail(String(format: "unsupported opcode 0x%02X", op))
            }
        }
    }
}

import Foundation
