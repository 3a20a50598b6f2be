import GatewayKit
import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// JSON in and out of the HTTP layer: stable key order on the way out, and on the way in errors
/// that say where the body is wrong.
enum JSONWire {
    /// Encodes `value` with sorted keys; ISO 8601 dates.
    static func bytes(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            return Array(try encoder.encode(value))
        } catch {
            // Only a non-finite number can fail here; answer with an error instead of a crash.
            return Array(encodingFailure.utf8)
        }
    }

    /// Writes a chat answer or chunk with ``JSONWriter``: the same bytes as ``bytes(_:)`` without
    /// JSONEncoder's intermediate tree.
    static func buffer(_ value: some JSONWritable) -> ByteBuffer {
        var writer = JSONWriter(capacity: value.estimatedJSONSize)
        write(value, to: &writer)
        return writer.buffer
    }

    /// Appends `value` to the writer's buffer; on a non-finite number, the same error object as
    /// ``bytes(_:)`` in place of whatever was partly written.
    static func write(_ value: some JSONWritable, to writer: inout JSONWriter) {
        let start = writer.buffer.writerIndex
        do {
            try value.write(to: &writer)
        } catch {
            writer.buffer.moveWriterIndex(to: start)
            writer.buffer.writeString(encodingFailure)
        }
    }

    private static let encodingFailure =
        #"{"error":{"message":"the answer could not be encoded as JSON","type":"api_error","code":"internal_error"}}"#

    /// Decodes a request body.
    /// - Throws: `GatewayError` `invalidRequest`: for malformed JSON, where it broke (line and
    ///   column); for a wrong type or a missing field, the field's path (`messages[0].role`).
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws(GatewayError) -> T {
        guard buffer.readableBytes > 0 else {
            throw GatewayError(.invalidRequest, "the request body is empty: send a JSON object")
        }
        // The hand-written parser first; on any doubt JSONDecoder decodes or explains the fault.
        if T.self == ChatRequest.self,
            let request = try? ChatRequest(json: JSONParser.parse(buffer.readableBytesView)),
            let decoded = request as? T
        {
            return decoded
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw describe(error, body: buffer)
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(.invalidRequest, "the request body could not be read as JSON", underlying: error)
        }
    }

    /// A decoding error as a 400 that names the place at fault.
    static func describe(_ error: DecodingError, body: ByteBuffer) -> GatewayError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let detail =
                JSONSyntaxError.find(in: Array(body.readableBytesView)).map(String.init(describing:))
                ?? context.debugDescription
            return GatewayError(.invalidRequest, "the request body is not valid JSON: \(detail)", underlying: error)
        case .dataCorrupted(let context):
            let path = path(context.codingPath)
            return GatewayError(
                .invalidRequest, "field '\(path)' is invalid: \(context.debugDescription)", field: path,
                underlying: error
            )
        case .typeMismatch(let type, let context):
            guard !context.codingPath.isEmpty else {
                return GatewayError(.invalidRequest, "the request body must be a JSON object", underlying: error)
            }
            let path = path(context.codingPath)
            return GatewayError(
                .invalidRequest, "field '\(path)' must be \(describe(type))", field: path, underlying: error
            )
        case .valueNotFound(let type, let context):
            let path = path(context.codingPath)
            return GatewayError(
                .invalidRequest, "field '\(path)' must be \(describe(type)), not null", field: path, underlying: error
            )
        case .keyNotFound(let key, let context):
            let path = path(context.codingPath + [key])
            return GatewayError(.invalidRequest, "field '\(path)' is required", field: path, underlying: error)
        @unknown default:
            return GatewayError(.invalidRequest, "the request body could not be read", underlying: error)
        }
    }

    /// `messages[0].content` from a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}
