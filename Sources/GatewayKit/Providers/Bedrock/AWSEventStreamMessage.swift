import NIOCore

/// One message of an AWS event stream (`application/vnd.amazon.eventstream`): typed headers and
/// a payload.
struct AWSEventStreamMessage: Sendable, Hashable {
    /// A header value; the wire type byte is noted on each case.
    enum Value: Sendable, Hashable {
        /// Types 0 (true) and 1 (false): no value bytes.
        case bool(Bool)
        /// Type 2.
        case byte(Int8)
        /// Type 3.
        case int16(Int16)
        /// Type 4.
        case int32(Int32)
        /// Type 5.
        case int64(Int64)
        /// Type 6: a 16-bit length, then the bytes.
        case bytes([UInt8])
        /// Type 7: a 16-bit length, then UTF-8.
        case string(String)
        /// Type 8: milliseconds since the Unix epoch.
        case timestamp(Int64)
        /// Type 9: 16 bytes.
        case uuid([UInt8])
    }

    /// One header.
    struct Header: Sendable, Hashable {
        var name: String
        var value: Value
    }

    /// The headers, in wire order.
    var headers: [Header]
    /// The payload.
    var payload: ByteBuffer

    /// The string value of the header named `name`, when it has one.
    func string(_ name: String) -> String? {
        for header in headers where header.name == name {
            if case .string(let value) = header.value { return value }
        }
        return nil
    }
}
