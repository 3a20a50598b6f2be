package import NIOCore

/// Writes JSON straight into a `ByteBuffer`, byte for byte as `JSONEncoder` with
/// `[.sortedKeys, .withoutEscapingSlashes]` writes it, without building an intermediate tree.
///
/// Callers write each object's keys in sorted UTF-8 byte order themselves; ``value(_:)`` sorts the
/// members of a ``JSONValue`` object. Commas are placed automatically.
package struct JSONWriter {
    /// The bytes written so far. Callers may add framing around the JSON (an SSE `data: ` prefix)
    /// directly, between whole values.
    package var buffer: ByteBuffer
    // Whether the next value or key follows a sibling and so needs a comma before it.
    private var needsComma = false

    /// Creates a writer with a new buffer of `capacity` bytes.
    package init(capacity: Int = 1024) {
        self.buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// The order JSONEncoder's `.sortedKeys` uses: lexicographic over the UTF-8 bytes.
    package static func keyPrecedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    package mutating func beginObject() {
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        needsComma = false
    }

    package mutating func endObject() {
        buffer.writeInteger(UInt8(ascii: "}"))
        needsComma = true
    }

    package mutating func beginArray() {
        separate()
        buffer.writeInteger(UInt8(ascii: "["))
        needsComma = false
    }

    package mutating func endArray() {
        buffer.writeInteger(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A key known at compile time; it must be ASCII that needs no escaping.
    package mutating func key(_ name: StaticString) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(name)
        buffer.writeInteger(UInt16(0x223A))  // `":`, big-endian
        needsComma = false
    }

    /// A key known only at run time, escaped like a string.
    package mutating func key(_ name: String) {
        separate()
        writeQuoted(name)
        buffer.writeInteger(UInt8(ascii: ":"))
        needsComma = false
    }

    package mutating func string(_ value: String) {
        separate()
        writeQuoted(value)
        needsComma = true
    }

    /// A string known at compile time; it must be ASCII that needs no escaping.
    package mutating func string(_ value: StaticString) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(value)
        buffer.writeInteger(UInt8(ascii: "\""))
        needsComma = true
    }

    package mutating func bool(_ value: Bool) {
        separate()
        buffer.writeStaticString(value ? "true" : "false")
        needsComma = true
    }

    package mutating func null() {
        separate()
        buffer.writeStaticString("null")
        needsComma = true
    }

    package mutating func int(_ value: Int) {
        separate()
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let sign = value < 0 ? 1 : 0
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: digits + sign) { out in
            if sign == 1 { out[0] = UInt8(ascii: "-") }
            var index = sign + digits
            repeat {
                index -= 1
                out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while index > sign
            return digits + sign
        }
        needsComma = true
    }

    /// A number as JSONEncoder writes it: Swift's shortest round-trip text without a trailing `.0`.
    /// - Throws: `GatewayError` `invalidRequest` for NaN or an infinity, which JSON cannot carry.
    package mutating func double(_ value: Double) throws(GatewayError) {
        guard value.isFinite else {
            throw GatewayError(.invalidRequest, "the number \(value) is not finite and cannot be written as JSON")
        }
        separate()
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        buffer.writeString(text)
        needsComma = true
    }

    /// Any JSON value; object members in sorted key order.
    /// - Throws: `GatewayError` `invalidRequest` for a non-finite number inside it.
    package mutating func value(_ value: JSONValue) throws(GatewayError) {
        switch value {
        case .null: null()
        case .bool(let bool): self.bool(bool)
        case .int(let int): self.int(int)
        case .double(let double): try self.double(double)
        case .string(let string): self.string(string)
        case .array(let elements):
            beginArray()
            for element in elements { try self.value(element) }
            endArray()
        case .object(let members):
            try object(members)
        }
    }

    /// An object from a dictionary, members in sorted key order.
    /// - Throws: `GatewayError` `invalidRequest` for a non-finite number inside it.
    package mutating func object(_ members: [String: JSONValue]) throws(GatewayError) {
        beginObject()
        if members.count == 1, let only = members.first {
            key(only.key)
            try value(only.value)
        } else {
            for member in members.sorted(by: { Self.keyPrecedes($0.key, $1.key) }) {
                key(member.key)
                try value(member.value)
            }
        }
        endObject()
    }

    private mutating func separate() {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
    }

    // Escapes as JSONEncoder does: `"`, `\` and control characters only; everything else, slashes
    // and non-ASCII included, is copied as UTF-8.
    private mutating func writeQuoted(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start..<index])) }
                writeEscape(byte)
                start = index + 1
            }
            if start < bytes.count { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start...])) }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private mutating func writeEscape(_ byte: UInt8) {
        let letter: UInt8? =
            switch byte {
            case UInt8(ascii: "\""): UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): UInt8(ascii: "\\")
            case 0x08: UInt8(ascii: "b")
            case 0x0C: UInt8(ascii: "f")
            case 0x0A: UInt8(ascii: "n")
            case 0x0D: UInt8(ascii: "r")
            case 0x09: UInt8(ascii: "t")
            default: nil
            }
        buffer.writeInteger(UInt8(ascii: "\\"))
        if let letter {
            buffer.writeInteger(letter)
            return
        }
        // JSONEncoder writes other control characters as \u00xx with lowercase hex digits.
        let hex: StaticString = "0123456789abcdef"
        buffer.writeStaticString("u00")
        buffer.writeInteger(hex.utf8Start[Int(byte >> 4)])
        buffer.writeInteger(hex.utf8Start[Int(byte & 0x0F)])
    }
}

/// A value that writes its own JSON through ``JSONWriter``, byte-identical to its `Encodable` form
/// under `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`.
package protocol JSONWritable: Encodable {
    /// Writes the value as one JSON value.
    /// - Throws: `GatewayError` `invalidRequest` for a non-finite number.
    func write(to writer: inout JSONWriter) throws(GatewayError)

    /// A guess at the encoded size, to allocate the buffer once in the common case.
    var estimatedJSONSize: Int { get }
}

extension JSONWritable {
    /// The value's JSON in a new buffer.
    /// - Throws: `GatewayError` `invalidRequest` for a non-finite number.
    package func jsonBuffer() throws(GatewayError) -> ByteBuffer {
        var writer = JSONWriter(capacity: estimatedJSONSize)
        try write(to: &writer)
        return writer.buffer
    }
}

extension JSONValue: JSONWritable {
    package func write(to writer: inout JSONWriter) throws(GatewayError) {
        try writer.value(self)
    }

    package var estimatedJSONSize: Int { 256 }
}
