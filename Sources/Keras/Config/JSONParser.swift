import Foundation

/// A malformed JSON text.
public struct JSONError: Error, CustomStringConvertible, Sendable {
    /// What was expected, what was found, and where (line:column).
    public let description: String
}

extension JSON {
    /// The deepest nesting accepted; deeper input is refused rather than overflowing the stack.
    public static let maximumDepth = 512

    /// Parses UTF-8 JSON text (RFC 8259 plus Python's `NaN`, `Infinity` and `-Infinity`).
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws -> JSON {
        var parser = JSONParser(Array(bytes))
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.atEnd else { throw parser.error("expected the end of the text") }
        return value
    }

    /// Parses JSON text.
    public static func parse(_ text: String) throws -> JSON { try parse(Array(text.utf8)) }
}

private struct JSONParser {
    let bytes: [UInt8]
    var pos = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { pos >= bytes.count }
    var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    func error(_ what: String) -> JSONError {
        var line = 1, column = 1
        for b in bytes[..<min(pos, bytes.count)] {
            if b == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        let found = peek.map { $0 >= 32 && $0 < 127 ? "'\(Character(UnicodeScalar($0)))'" : String(format: "byte 0x%02X", $0) } ?? "the end of the text"
        return JSONError(description: "invalid JSON at line \(line), column \(column): \(what), found \(found)")
    }

    mutating func skipWhitespace() {
        while let b = peek, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { pos += 1 }
    }

    mutating func literal(_ word: String, _ value: JSON) throws -> JSON {
        let w = Array(word.utf8)
        guard bytes.count - pos >= w.count, Array(bytes[pos..<pos + w.count]) == w else { throw error("expected '\(word)'") }
        pos += w.count
        return value
    }

    mutating func value(depth: Int) throws -> JSON {
        guard depth < JSON.maximumDepth else { throw error("nesting deeper than \(JSON.maximumDepth) levels") }
        switch peek {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "N"): return try literal("NaN", .double(.nan))
        case UInt8(ascii: "I"): return try literal("Infinity", .double(.infinity))
        case let b? where b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39): return try number()
        default: throw error("expected a value")
        }
    }

    mutating func object(depth: Int) throws -> JSON {
        pos += 1
        var result = JSONObject()
        skipWhitespace()
        if peek == UInt8(ascii: "}") { pos += 1; return .object(result) }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try string()
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw error("expected ':'") }
            pos += 1
            skipWhitespace()
            result[key] = try value(depth: depth + 1)
            skipWhitespace()
            if peek == UInt8(ascii: ",") { pos += 1; continue }
            if peek == UInt8(ascii: "}") { pos += 1; return .object(result) }
            throw error("expected ',' or '}'")
        }
    }

    mutating func array(depth: Int) throws -> JSON {
        pos += 1
        var result: [JSON] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") { pos += 1; return .array(result) }
        while true {
            skipWhitespace()
            result.append(try value(depth: depth + 1))
            skipWhitespace()
            if peek == UInt8(ascii: ",") { pos += 1; continue }
            if peek == UInt8(ascii: "]") { pos += 1; return .array(result) }
            throw error("expected ',' or ']'")
        }
    }

    mutating func hex4() throws -> UInt32 {
        guard bytes.count - pos >= 4 else { throw error("expected 4 hex digits") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = peek.flatMap({ Int(String(UnicodeScalar($0)), radix: 16) }) else { throw error("expected a hex digit") }
            v = v * 16 + UInt32(d)
            pos += 1
        }
        return v
    }

    mutating func string() throws -> String {
        pos += 1
        var out: [UInt8] = []
        while true {
            guard let b = peek else { throw error("unterminated string") }
            pos += 1
            switch b {
            case UInt8(ascii: "\""):
                guard let s = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8 in a string") }
                return s
            case UInt8(ascii: "\\"):
                guard let e = peek else { throw error("unterminated escape") }
                pos += 1
                let simple: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]
                if let s = simple[e] { out.append(s); continue }
                guard e == UInt8(ascii: "u") else { pos -= 1; throw error("invalid escape") }
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), bytes.count - pos >= 6, bytes[pos] == 0x5C, bytes[pos + 1] == 0x75 {
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                // A lone surrogate (which Python accepts) becomes U+FFFD.
                out += Array(String(Character(UnicodeScalar(scalar) ?? "\u{FFFD}")).utf8)
            case 0..<0x20:
                pos -= 1
                throw error("control character in a string")
            default:
                out.append(b)
            }
        }
    }

    mutating func number() throws -> JSON {
        let start = pos
        if peek == UInt8(ascii: "-") {
            pos += 1
            if peek == UInt8(ascii: "I") { _ = try literal("Infinity", .null); return .double(-.infinity) }
        }
        var isFloat = false
        func digits() -> Int { let s = pos; while let b = peek, b >= 0x30 && b <= 0x39 { pos += 1 }; return pos - s }
        let intStart = pos
        guard digits() > 0 else { throw error("expected a digit") }
        if bytes[intStart] == UInt8(ascii: "0"), pos - intStart > 1 { pos = intStart + 1; throw error("expected no leading zeros") }
        if peek == UInt8(ascii: ".") { pos += 1; isFloat = true; guard digits() > 0 else { throw error("expected a digit after '.'") } }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            pos += 1; isFloat = true
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { pos += 1 }
            guard digits() > 0 else { throw error("expected an exponent") }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if !isFloat, let i = Int(text) { return .int(i) }
        guard let d = Double(text) else { throw error("invalid number '\(text)'") }
        return .double(d)
    }
}
