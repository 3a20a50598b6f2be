#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import Crypto

/// A caller's bearer credential and its role. Stored as a SHA-256 hash: the token itself is shown
/// once, when it is created, and never again.
public struct AccessToken: Sendable, Hashable, Codable, Identifiable {
    /// An access token's identifier (`tok_…`); safe to log and show.
    public struct ID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
        ExpressibleByStringLiteral
    {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
        static func generate() -> ID { ID(rawValue: "tok_" + RandomID.hex(byteCount: 8)) }
    }

    /// The identifier.
    public var id: ID
    /// A display name (`"ci pipeline"`).
    public var name: String
    /// The role the token grants.
    public var role: Role
    /// Hex SHA-256 of the token; the token itself is never stored.
    public var tokenHash: String
    /// The first characters of the token, so an operator can tell tokens apart (`gwk_3f9a…`).
    public var prefix: String
    /// When it was created.
    public var createdAt: Date

    /// Creates a stored token record.
    /// - Parameters:
    ///   - id: the identifier.
    ///   - name: a display name.
    ///   - role: the role the token grants.
    ///   - tokenHash: hex SHA-256 of the token.
    ///   - prefix: the visible start of the token.
    ///   - createdAt: when it was created.
    public init(id: ID, name: String, role: Role, tokenHash: String, prefix: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.role = role
        self.tokenHash = tokenHash
        self.prefix = prefix
        self.createdAt = createdAt
    }

    /// Hex SHA-256 of a presented token: what the store keeps and looks up.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).hexString
    }

    /// Makes a new random token (`gwk_` and 43 base64url characters).
    static func generateToken() -> String {
        "gwk_" + RandomID.base64URL(byteCount: 32)
    }
}

enum RandomID {
    static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func hex(byteCount: Int) -> String {
        bytes(byteCount).hexString
    }

    static func base64URL(byteCount: Int) -> String {
        let base64 = Data(bytes(byteCount)).base64EncodedString()
        return String(
            base64.compactMap { character -> Character? in
                switch character {
                case "+": "-"
                case "/": "_"
                case "=": nil
                default: character
                }
            }
        )
    }
}

extension Sequence where Element == UInt8 {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Compares two byte strings in time that depends only on their lengths.
func constantTimeEquals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
    return difference == 0
}

/// A newly created access token: the record, and the token itself, shown only this once.
public struct IssuedAccessToken: Sendable {
    /// The stored record.
    public var token: AccessToken
    /// The bearer token to hand to the caller. It cannot be read again.
    public var secret: Secret
}
