import GatewayKit
import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An admin request body: a JSON object read field by field, so every error names its field and
/// an unknown field is refused rather than silently ignored.
struct JSONFields {
    let object: [String: JSONValue]

    /// Parses a body that must be a JSON object.
    /// - Throws: `GatewayError` `invalidRequest` saying where the JSON is malformed.
    init(body: ByteBuffer) throws(GatewayError) {
        let value = try JSONWire.decode(JSONValue.self, from: body)
        guard case .object(let object) = value else {
            throw GatewayError(.invalidRequest, "the request body must be a JSON object")
        }
        self.object = object
    }

    /// Refuses fields outside `known`, ignoring read-only fields a client may echo back.
    func rejectUnknown(_ known: Set<String>, ignoring readOnly: Set<String> = []) throws(GatewayError) {
        for key in object.keys.sorted() where !known.contains(key) && !readOnly.contains(key) {
            throw GatewayError(.invalidRequest, "unknown field '\(key)'", field: key)
        }
    }

    func has(_ key: String) -> Bool { object[key] != nil }

    /// A string, `nil` when absent or null.
    func string(_ key: String) throws(GatewayError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw Self.wrongType(key, "a string")
        }
    }

    /// A string that must be present and not null.
    func requiredString(_ key: String) throws(GatewayError) -> String {
        guard let value = try string(key) else {
            throw GatewayError(.invalidRequest, "field '\(key)' is required and must be a string", field: key)
        }
        return value
    }

    /// An integer, `nil` when absent or null.
    func int(_ key: String) throws(GatewayError) -> Int? {
        switch object[key] {
        case nil, .null?: return nil
        case .int(let value)?: return value
        case .double(let value)? where value.rounded() == value && abs(value) < 1e15: return Int(value)
        default: throw Self.wrongType(key, "an integer")
        }
    }

    /// A number, `nil` when absent or null.
    func double(_ key: String) throws(GatewayError) -> Double? {
        switch object[key] {
        case nil, .null?: return nil
        case .int(let value)?: return Double(value)
        case .double(let value)?: return value
        default: throw Self.wrongType(key, "a number")
        }
    }

    /// A boolean, `nil` when absent or null.
    func bool(_ key: String) throws(GatewayError) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw Self.wrongType(key, "a boolean")
        }
    }

    /// An array of strings, `nil` when absent or null.
    func strings(_ key: String) throws(GatewayError) -> [String]? {
        switch object[key] {
        case nil, .null?: return nil
        case .array(let values)?:
            return try values.enumerated().map { (index, value) throws(GatewayError) -> String in
                guard case .string(let text) = value else { throw Self.wrongType("\(key)[\(index)]", "a string") }
                return text
            }
        default: throw Self.wrongType(key, "an array of strings")
        }
    }

    /// An array of objects, `nil` when absent or null.
    func objects(_ key: String) throws(GatewayError) -> [JSONFields]? {
        switch object[key] {
        case nil, .null?: return nil
        case .array(let values)?:
            return try values.enumerated().map { (index, value) throws(GatewayError) -> JSONFields in
                guard case .object(let object) = value else { throw Self.wrongType("\(key)[\(index)]", "an object") }
                return JSONFields(object: object, prefix: "\(key)[\(index)].")
            }
        default: throw Self.wrongType(key, "an array of objects")
        }
    }

    static func wrongType(_ key: String, _ expected: String) -> GatewayError {
        GatewayError(.invalidRequest, "field '\(key)' must be \(expected)", field: key)
    }
}

extension JSONFields {
    /// A nested object whose errors name the field path (`targets[0].model`).
    init(object: [String: JSONValue], prefix: String) {
        self.object = Dictionary(uniqueKeysWithValues: object.map { (prefix + $0.key, $0.value) })
    }
}

extension Date {
    /// ISO 8601, as admin responses show times.
    var iso8601: JSONValue { .string(formatted(.iso8601)) }
}

extension Optional where Wrapped == String {
    var json: JSONValue { map(JSONValue.string) ?? .null }
}

extension Optional where Wrapped == Int {
    var json: JSONValue { map(JSONValue.int) ?? .null }
}

extension Optional where Wrapped == Double {
    var json: JSONValue { map(JSONValue.double) ?? .null }
}
