import NIOCore

extension AWSEventStreamDecoder {
    /// Reads the headers section: repeated `name length (u8)`, `name`, `type (u8)`, value.
    /// Every value type is parsed so that unknown headers are skipped correctly.
    static func headers(_ buffer: ByteBuffer, from start: Int, count: Int) throws(GatewayError)
        -> [AWSEventStreamMessage.Header]
    {
        guard var section = buffer.getSlice(at: start, length: count) else {
            throw error("the headers section is out of bounds")
        }
        var headers: [AWSEventStreamMessage.Header] = []
        while section.readableBytes > 0 {
            guard let nameLength = section.readInteger(as: UInt8.self), nameLength > 0,
                let name = section.readString(length: Int(nameLength))
            else {
                throw error("a header name is empty or runs past the headers section")
            }
            guard let type = section.readInteger(as: UInt8.self) else {
                throw error("header '\(name)' has no value type")
            }
            headers.append(.init(name: name, value: try value(of: type, named: name, from: &section)))
        }
        return headers
    }

    private static func value(of type: UInt8, named name: String, from section: inout ByteBuffer) throws(GatewayError)
        -> AWSEventStreamMessage.Value
    {
        let value: AWSEventStreamMessage.Value?
        switch type {
        case 0: value = .bool(true)
        case 1: value = .bool(false)
        case 2: value = section.readInteger(as: Int8.self).map { .byte($0) }
        case 3: value = section.readInteger(as: Int16.self).map { .int16($0) }
        case 4: value = section.readInteger(as: Int32.self).map { .int32($0) }
        case 5: value = section.readInteger(as: Int64.self).map { .int64($0) }
        case 6:
            value = section.readInteger(as: UInt16.self).flatMap { section.readBytes(length: Int($0)) }.map {
                .bytes($0)
            }
        case 7:
            guard let length = section.readInteger(as: UInt16.self), let bytes = section.readBytes(length: Int(length))
            else {
                value = nil
                break
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw error("header '\(name)' is not valid UTF-8")
            }
            value = .string(text)
        case 8: value = section.readInteger(as: Int64.self).map { .timestamp($0) }
        case 9: value = section.readBytes(length: 16).map { .uuid($0) }
        default:
            throw error("header '\(name)' has unknown value type \(type)")
        }
        guard let value else {
            throw error("header '\(name)' runs past the headers section")
        }
        return value
    }
}
