/// Typed reads from a parsed JSON object for the `init(json:)` fast paths, with the rules of
/// JSONDecoder's `decodeIfPresent`: a missing member and `null` are both absent, and a member of
/// the wrong type is an error (the caller then falls back to JSONDecoder for the precise one).
struct JSONObjectReader {
    let members: [String: JSONValue]

    init(_ value: JSONValue) throws {
        guard case .object(let members) = value else { throw JSONObjectReader.mismatch("an object") }
        self.members = members
    }

    /// A nested object that must be there, as `nestedContainer(keyedBy:forKey:)` requires.
    init(required key: String, in parent: JSONObjectReader) throws {
        guard let value = parent.members[key] else { throw JSONObjectReader.missing(key) }
        try self.init(value)
    }

    /// The member, unless it is missing or `null`.
    func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws -> String? {
        try value(key).map { try $0.decodedString() }
    }

    func requiredString(_ key: String) throws -> String {
        guard let value = try string(key) else { throw JSONObjectReader.missing(key) }
        return value
    }

    func int(_ key: String) throws -> Int? {
        try value(key).map { try $0.decodedInt() }
    }

    func double(_ key: String) throws -> Double? {
        try value(key).map { try $0.decodedDouble() }
    }

    func bool(_ key: String) throws -> Bool? {
        try value(key).map { try $0.decodedBool() }
    }

    func array(_ key: String) throws -> [JSONValue]? {
        try value(key).map { try $0.decodedArray() }
    }

    static func mismatch(_ expected: String) -> GatewayError {
        GatewayError(.invalidRequest, "the fast JSON path expected \(expected)")
    }

    static func missing(_ key: String) -> GatewayError {
        GatewayError(.invalidRequest, "the fast JSON path found no value for '\(key)'")
    }
}

extension JSONValue {
    // Each mirrors what JSONDecoder's `decode(_:)` accepts for that type. `.int` is exactly the
    // numbers JSONDecoder reads as `Int` (JSONParser classifies them so), and a Double read of
    // such a number equals `Double(int)` because both round the same exact value.
    func decodedString() throws -> String {
        guard case .string(let value) = self else { throw JSONObjectReader.mismatch("a string") }
        return value
    }

    func decodedInt() throws -> Int {
        guard case .int(let value) = self else { throw JSONObjectReader.mismatch("an integer") }
        return value
    }

    func decodedDouble() throws -> Double {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: throw JSONObjectReader.mismatch("a number")
        }
    }

    func decodedBool() throws -> Bool {
        guard case .bool(let value) = self else { throw JSONObjectReader.mismatch("a boolean") }
        return value
    }

    func decodedArray() throws -> [JSONValue] {
        guard case .array(let value) = self else { throw JSONObjectReader.mismatch("an array") }
        return value
    }
}
