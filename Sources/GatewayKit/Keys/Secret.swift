/// A secret string that never prints: `description`, `debugDescription`, string interpolation and
/// `Encodable` output all show `<redacted>`. Read the value only where it is sent upstream.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable, Encodable
{
    private let value: String

    /// Wraps a secret value.
    /// - Parameter value: the secret.
    public init(_ value: String) { self.value = value }

    /// The secret itself. Use only to build an upstream request; never log it.
    public func reveal() -> String { value }

    /// Whether the secret is the empty string.
    public var isEmpty: Bool { value.isEmpty }

    /// The masked form shown in listings: the first few characters, an ellipsis, the last four
    /// (`sk-…abcd`). Short secrets show only the last characters or nothing.
    public var masked: String {
        let characters = Array(value)
        guard characters.count >= 12 else {
            return characters.count >= 8 ? "…" + String(characters.suffix(2)) : "…"
        }
        // Keep a recognisable prefix up to and including the first '-' or '_', at most 7 characters.
        let prefixEnd = characters.prefix(7).firstIndex(where: { $0 == "-" || $0 == "_" }).map { $0 + 1 } ?? 3
        return String(characters.prefix(prefixEnd)) + "…" + String(characters.suffix(4))
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "Secret(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode("<redacted>")
    }
}
