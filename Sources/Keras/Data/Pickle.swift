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

    /// Reads one pickled object.
    static func load(_ bytes: [UInt8]) throws -> PickleValue {
        var reader = PickleReader(bytes: bytes)
        return try reader.run()
    }
}

private struct PickleReader {
    let bytes: [UInt8]
    var pos = 0
    var stack: [PickleValue] = []
    var marks: [Int] = []
    var memo: [Int: PickleValue] = [:]

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

    mutating func pop() throws -> PickleValue {
        guard let v = stack.popLast() else { throw fail("stack underflow") }
        return v
    }

    /// The value on top of the stack, left there (what the memo opcodes store).
    func top() throws -> PickleValue {
        guard let v = stack.last else { throw fail("stack underflow") }
        return v
    }

    mutating func popMark() throws -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw fail("no MARK") }
        defer { stack.removeSubrange(mark...) }
        return Array(stack[mark...])
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
            case 0x2E: return try pop()                                     // STOP
            case 0x28: marks.append(stack.count)                            // MARK
            case 0x4E: stack.append(.none)                                  // NONE
            case 0x88: stack.append(.bool(true))                            // NEWTRUE
            case 0x89: stack.append(.bool(false))                           // NEWFALSE
            case 0x4B: stack.append(.int(try uint(1)))                      // BININT1
            case 0x4D: stack.append(.int(try uint(2)))                      // BININT2
            case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try uint(4)))))  // BININT
            case 0x8A:                                                      // LONG1
                let n = try uint(1)
                guard n <= 8 else { throw fail("integer too large") }
                let raw = try take(n)
                var v = raw.reversed().reduce(0) { $0 << 8 | Int($1) }
                if n > 0, n < 8, (raw.last ?? 0) & 0x80 != 0 { v -= 1 << (8 * n) }
                stack.append(.int(v))
            case 0x47:                                                      // BINFLOAT (big-endian)
                stack.append(.float(Double(bitPattern: try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
            case 0x8C: stack.append(.string(try string(try uint(1))))       // SHORT_BINUNICODE
            case 0x58: stack.append(.string(try string(try uint(4))))       // BINUNICODE
            case 0x8D: stack.append(.string(try string(try uint(8))))       // BINUNICODE8
            case 0x43: stack.append(.bytes(Array(try take(try uint(1)))))   // SHORT_BINBYTES
            case 0x42: stack.append(.bytes(Array(try take(try uint(4)))))   // BINBYTES
            case 0x8E, 0x96: stack.append(.bytes(Array(try take(try uint(8)))))  // BINBYTES8, BYTEARRAY8
            case 0x29: stack.append(.tuple([]))                             // EMPTY_TUPLE
            case 0x85: stack.append(.tuple([try pop()]))                    // TUPLE1
            case 0x86: let b = try pop(), a = try pop(); stack.append(.tuple([a, b]))        // TUPLE2
            case 0x87: let c = try pop(), b = try pop(), a = try pop(); stack.append(.tuple([a, b, c]))  // TUPLE3
            case 0x74: stack.append(.tuple(try popMark()))                  // TUPLE
            case 0x5D: stack.append(.list(PickleBox()))                     // EMPTY_LIST
            case 0x7D: stack.append(.dict(PickleBox()))                     // EMPTY_DICT
            case 0x8F: stack.append(.list(PickleBox()))                     // EMPTY_SET
            case 0x6C: let box = PickleBox(); box.items = try popMark(); stack.append(.list(box))  // LIST
            case 0x61, 0x65, 0x90:                                          // APPEND, APPENDS, ADDITEMS
                let items = op == 0x61 ? [try pop()] : try popMark()
                guard case .list(let box)? = stack.last else { throw fail("append to a non-list") }
                box.items += items
            case 0x73, 0x75:                                                // SETITEM, SETITEMS
                let items = op == 0x73 ? try { let v = try pop(); let k = try pop(); return [k, v] }() : try popMark()
                guard items.count % 2 == 0, case .dict(let box)? = stack.last else { throw fail("setitem on a non-dict") }
                for i in stride(from: 0, to: items.count, by: 2) { box.pairs.append((items[i], items[i + 1])) }
            case 0x94: memo[memo.count] = try top()                         // MEMOIZE
            case 0x71: memo[try uint(1)] = try top()                        // BINPUT
            case 0x72: memo[try uint(4)] = try top()                        // LONG_BINPUT
            case 0x68, 0x6A:                                                // BINGET, LONG_BINGET
                let key = try uint(op == 0x68 ? 1 : 4)
                guard let v = memo[key] else { throw fail("memo \(key) is empty") }
                stack.append(v)
            case 0x93:                                                      // STACK_GLOBAL
                let name = try pop(), module = try pop()
                stack.append(.global(module: module.stringValue ?? "?", name: name.stringValue ?? "?"))
            case 0x63:                                                      // GLOBAL "module\nname\n"
                func line() throws -> String {
                    guard let end = bytes[pos...].firstIndex(of: 0x0A) else { throw fail("unterminated GLOBAL") }
                    defer { pos = end + 1 }
                    return String(decoding: bytes[pos..<end], as: UTF8.self)
                }
                stack.append(.global(module: try line(), name: try line()))
            case 0x52, 0x81:                                                // REDUCE, NEWOBJ
                let arguments = try pop(), callable = try pop()
                stack.append(.call(callable: callable, arguments: arguments, state: PickleBox()))
            case 0x92:                                                      // NEWOBJ_EX
                _ = try pop()
                let arguments = try pop(), callable = try pop()
                stack.append(.call(callable: callable, arguments: arguments, state: PickleBox()))
            case 0x62:                                                      // BUILD
                let state = try pop()
                guard case .call(_, _, let box)? = stack.last else { throw fail("BUILD on a non-object") }
                box.items.append(state)
            default:
                throw fail(String(format: "unsupported opcode 0x%02X", op))
            }
        }
    }
}

import Foundation
