import NIOCore

/// Builds AWS event-stream frames for tests, with its own bitwise CRC-32 so the decoder's
/// table-driven one is checked against an independent implementation.
enum EventStreamFrames {
    enum Value {
        case bool(Bool), byte(Int8), int16(Int16), int32(Int32), int64(Int64), bytes([UInt8]), string(String)
        case timestamp(Int64), uuid([UInt8])
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    static func encodeHeaders(_ headers: [(String, Value)]) -> [UInt8] {
        var out: [UInt8] = []
        for (name, value) in headers {
            out.append(UInt8(name.utf8.count))
            out += Array(name.utf8)
            switch value {
            case .bool(let flag): out.append(flag ? 0 : 1)
            case .byte(let v): out += [2] + bigEndian(v)
            case .int16(let v): out += [3] + bigEndian(v)
            case .int32(let v): out += [4] + bigEndian(v)
            case .int64(let v): out += [5] + bigEndian(v)
            case .bytes(let v): out += [6] + bigEndian(UInt16(v.count)) + v
            case .string(let v): out += [7] + bigEndian(UInt16(v.utf8.count)) + Array(v.utf8)
            case .timestamp(let v): out += [8] + bigEndian(v)
            case .uuid(let v): out += [9] + v
            }
        }
        return out
    }

    /// One complete frame.
    static func frame(headers: [(String, Value)], payload: [UInt8]) -> [UInt8] {
        let headerBytes = encodeHeaders(headers)
        let total = 16 + headerBytes.count + payload.count
        var out = bigEndian(UInt32(total)) + bigEndian(UInt32(headerBytes.count))
        out += bigEndian(crc32(out))
        out += headerBytes + payload
        out += bigEndian(crc32(out))
        return out
    }

    /// A Bedrock event frame carrying `json`.
    static func event(_ type: String, _ json: String) -> [UInt8] {
        frame(
            headers: [
                (":event-type", .string(type)), (":content-type", .string("application/json")),
                (":message-type", .string("event")),
            ],
            payload: Array(json.utf8)
        )
    }

    /// A Bedrock exception frame.
    static func exception(_ type: String, _ message: String) -> [UInt8] {
        frame(
            headers: [
                (":exception-type", .string(type)), (":content-type", .string("application/json")),
                (":message-type", .string("exception")),
            ],
            payload: Array(#"{"message":"\#(message)"}"#.utf8)
        )
    }

    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16) ?? 0 }
    }

    static func buffer(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }
}
