extension JSONByteReader {
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    /// Reads a string whose opening quote is at `index`.
    mutating func readString() throws -> String {
        index += 1
        let start = index
        var highBits: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.quote {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                // Only non-ASCII text needs validating: JSONDecoder rejects invalid UTF-8, while
                // `String(decoding:)` would repair it silently.
                if highBits < 0x80 { return String(decoding: raw, as: UTF8.self) }
                guard let text = String(validating: raw, as: UTF8.self) else {
                    throw failure("invalid UTF-8 in a string")
                }
                return text
            }
            if byte == Self.backslash { return try readEscapedString(from: start) }
            guard byte >= 0x20 else { throw failure("a control character inside a string") }
            highBits |= byte
            index += 1
        }
        throw failure("an unterminated string")
    }

    private mutating func readEscapedString(from start: Int) throws -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(index - start + 16)
        utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.quote {
                index += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw failure("invalid UTF-8 in a string")
                }
                return text
            }
            if byte == Self.backslash {
                try readEscape(into: &utf8)
            } else {
                guard byte >= 0x20 else { throw failure("a control character inside a string") }
                utf8.append(byte)
                index += 1
            }
        }
        throw failure("an unterminated string")
    }

    private mutating func readEscape(into utf8: inout [UInt8]) throws {
        guard index + 1 < bytes.count else { throw failure("an unterminated escape") }
        let code = bytes[index + 1]
        index += 2
        switch code {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(code)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"): Self.appendUTF8(of: try readUnicodeEscape(), to: &utf8)
        default: throw failure("an unknown escape")
        }
    }

    /// Reads the hex digits after `\u`, and the low half after a high surrogate.
    private mutating func readUnicodeEscape() throws -> UInt32 {
        let unit = try readHex4()
        switch unit {
        case 0xD800...0xDBFF:
            guard index + 1 < bytes.count, bytes[index] == Self.backslash, bytes[index + 1] == UInt8(ascii: "u")
            else { throw failure("a high surrogate without its low half") }
            index += 2
            let low = try readHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw failure("a high surrogate without its low half") }
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF:
            throw failure("a lone low surrogate")
        default:
            return unit
        }
    }

    private mutating func readHex4() throws -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure("a truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a non-hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private static func appendUTF8(of scalar: UInt32, to utf8: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            utf8.append(UInt8(truncatingIfNeeded: scalar))
        case ..<0x800:
            utf8.append(0xC0 | UInt8(truncatingIfNeeded: scalar >> 6))
            utf8.append(0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F))
        case ..<0x10000:
            utf8.append(0xE0 | UInt8(truncatingIfNeeded: scalar >> 12))
            utf8.append(0x80 | UInt8(truncatingIfNeeded: (scalar >> 6) & 0x3F))
            utf8.append(0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F))
        default:
            utf8.append(0xF0 | UInt8(truncatingIfNeeded: scalar >> 18))
            utf8.append(0x80 | UInt8(truncatingIfNeeded: (scalar >> 12) & 0x3F))
            utf8.append(0x80 | UInt8(truncatingIfNeeded: (scalar >> 6) & 0x3F))
            utf8.append(0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F))
        }
    }
}
