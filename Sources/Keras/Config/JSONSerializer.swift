extension JSON {
    /// The text Python's `json.dumps(value)` produces with default settings: separators `", "` and `": "`,
    /// ASCII-only output with `\uXXXX` escapes, floats in Python's `repr` form (`0.0010000000474974513`, `1e-07`,
    /// `3.0`), and `NaN` / `Infinity` for non-finite floats. Keras writes `config.json` this way.
    public func serialized() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += JSON.pythonRepr(d)
        case .string(let s): JSON.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                item.write(to: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (i, (key, value)) in object.enumerated() {
                if i > 0 { out += ", " }
                JSON.writeString(key, to: &out)
                out += ": "
                value.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for unit in s.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20...0x7E: out.unicodeScalars.append(UnicodeScalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        out += "\""
    }

    /// Python's `repr(float)`: the shortest digits that round-trip (the same digits Swift chooses), laid out in
    /// fixed notation when the decimal exponent is in `(-4, 16]` and in scientific notation (`1e-07`) otherwise.
    public static func pythonRepr(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description has the shortest round-trip digits; extract them and the decimal exponent.
        var text = "\(Swift.abs(value))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0])
        let fracPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = intPart + fracPart
        var decpt = intPart.count + exponent          // value = 0.digits × 10^decpt
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); decpt -= 1 }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        if decpt <= -4 || decpt > 16 {
            let e = decpt - 1
            let mantissa = digits.count == 1 ? digits : "\(digits.first!).\(digits.dropFirst())"
            let expDigits = String(Swift.abs(e))
            return "\(sign)\(mantissa)e\(e < 0 ? "-" : "+")\(expDigits.count < 2 ? "0" + expDigits : expDigits)"
        }
        if decpt <= 0 { return "\(sign)0.\(String(repeating: "0", count: -decpt))\(digits)" }
        if decpt >= digits.count { return "\(sign)\(digits)\(String(repeating: "0", count: decpt - digits.count)).0" }
        let cut = digits.index(digits.startIndex, offsetBy: decpt)
        return "\(sign)\(digits[..<cut]).\(digits[cut...])"
    }
}
