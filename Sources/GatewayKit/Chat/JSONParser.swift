/// A byte-level JSON parser for the chat hot path, several times cheaper than `JSONDecoder`.
///
/// Every value it returns equals what `JSONValue(from:)` gives through `JSONDecoder` for the same
/// bytes. It is stricter than `JSONDecoder` (no trailing commas, no byte order mark, no duplicate
/// keys, no `-0`, no integral numbers of 2^53 or more written with a fraction or exponent), so
/// callers treat any error as "use `JSONDecoder`", which then decodes or reports precisely.
package enum JSONParser {
    /// The deepest nesting of arrays and objects accepted, as `JSONDecoder` accepts.
    package static let maximumDepth = 512

    /// Parses one JSON text.
    /// - Parameter bytes: UTF-8 JSON; contiguous storage (a `ByteBuffer` view, a native
    ///   `String.UTF8View`, an `Array`) is read in place.
    /// - Returns: the value, as `JSONValue(from:)` would decode it.
    /// - Throws: `GatewayError` `invalidRequest` naming the byte offset where parsing stopped.
    package static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        if let value = try bytes.withContiguousStorageIfAvailable({ try parse(buffer: $0) }) {
            return value
        }
        return try Array(bytes).withUnsafeBufferPointer { try parse(buffer: $0) }
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var reader = JSONByteReader(bytes: buffer)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.isAtEnd else { throw reader.failure("unexpected bytes after the JSON value") }
        return value
    }
}

/// The parser's cursor over the input bytes.
struct JSONByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    // The members and elements of the objects and arrays being read, innermost last. Each is
    // built at its end with its exact size: a dictionary or array grown member by member is
    // reallocated and, for a dictionary, rehashed at every doubling.
    private var pendingMembers: [(key: String, value: JSONValue)] = []
    private var pendingElements: [JSONValue] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        pendingMembers.reserveCapacity(16)
        pendingElements.reserveCapacity(16)
    }

    var isAtEnd: Bool { index >= bytes.count }

    func failure(_ reason: String) -> GatewayError {
        GatewayError(.invalidRequest, "the JSON is not accepted by the fast parser at byte \(index): \(reason)")
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    mutating func readValue(depth: Int) throws -> JSONValue {
        guard index < bytes.count else { throw failure("the input ended where a value was expected") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try readObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try readArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try readNumber()
        default:
            throw failure("no JSON value starts here")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw failure("a truncated literal") }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw failure("an unknown literal")
        }
        index += count
    }

    private mutating func readObject(depth: Int) throws -> [String: JSONValue] {
        guard depth <= JSONParser.maximumDepth else { throw failure("nesting deeper than 512") }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return [:]
        }
        let base = pendingMembers.count
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try readString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipWhitespace()
            pendingMembers.append((key, try readValue(depth: depth)))
            skipWhitespace()
            guard index < bytes.count else { throw failure("an unterminated object") }
            let separator = bytes[index]
            index += 1
            if separator == UInt8(ascii: "}") { break }
            guard separator == UInt8(ascii: ",") else { throw failure("expected ',' or '}'") }
            skipWhitespace()
        }
        var members = [String: JSONValue](minimumCapacity: pendingMembers.count - base)
        for (key, value) in pendingMembers[base...] {
            // JSONDecoder keeps the first of duplicate keys; they are rare enough to leave to it.
            guard members.updateValue(value, forKey: key) == nil else { throw failure("a duplicate key") }
        }
        pendingMembers.removeLast(pendingMembers.count - base)
        return members
    }

    private mutating func readArray(depth: Int) throws -> [JSONValue] {
        guard depth <= JSONParser.maximumDepth else { throw failure("nesting deeper than 512") }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return []
        }
        let base = pendingElements.count
        while true {
            pendingElements.append(try readValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw failure("an unterminated array") }
            let separator = bytes[index]
            index += 1
            if separator == UInt8(ascii: "]") { break }
            guard separator == UInt8(ascii: ",") else { throw failure("expected ',' or ']'") }
            skipWhitespace()
        }
        let elements = Array(pendingElements[base...])
        pendingElements.removeLast(pendingElements.count - base)
        return elements
    }
}
