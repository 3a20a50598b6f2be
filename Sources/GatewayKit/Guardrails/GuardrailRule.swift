#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A stored guardrail rule: what it looks for (``Kind``), when it runs (``Stage``), what it does on a
/// match (``Action``), and which endpoints it covers (``Scope``).
///
/// Rules are kept by the ``GatewayStore`` like endpoints and keys, versioned for optimistic edits,
/// and compiled into the live snapshot, so the request path never parses a rule.
public struct GuardrailRule: Sendable, Hashable, Codable, Identifiable {
    /// A rule's identifier (`gr_…`); safe to log and show.
    public struct ID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
        ExpressibleByStringLiteral
    {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
        static func generate() -> ID { ID(rawValue: "gr_" + RandomID.hex(byteCount: 8)) }
    }

    /// When a rule runs.
    public enum Stage: String, Sendable, Hashable, Codable, CaseIterable {
        /// On the request's messages, before any provider is called.
        case input
        /// On the answer, complete or streamed.
        case output
    }

    /// What a rule does when it matches.
    public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
        /// Refuse: the caller gets `guardrailBlocked`.
        case block
        /// Replace each match with a placeholder and carry on.
        case redact
    }

    /// Which endpoints a rule covers.
    public enum Scope: Sendable, Hashable, Codable {
        /// Every endpoint, including ones created later.
        case everyEndpoint
        /// Only the listed endpoints.
        case endpoints([Endpoint.Slug])

        /// Whether the rule covers `slug`.
        public func covers(_ slug: Endpoint.Slug) -> Bool {
            switch self {
            case .everyEndpoint: true
            case .endpoints(let slugs): slugs.contains(slug)
            }
        }
    }

    /// A kind of personal data the `pii` kind recognises.
    public enum PIIType: String, Sendable, Hashable, Codable, CaseIterable {
        /// E-mail addresses.
        case email
        /// Phone numbers.
        case phone
        /// Payment card numbers (checked with the Luhn algorithm).
        case card
        /// International bank account numbers (checked with mod 97).
        case iban
        /// IPv4 and IPv6 addresses.
        case ip
    }

    /// What a rule looks for, with its settings.
    public enum Kind: Sendable, Hashable, Codable {
        /// Any of these terms, case-insensitively, as whole words.
        case blockedTerms([String])
        /// A regular expression (Swift `Regex` syntax).
        case regex(pattern: String)
        /// Personal data of the listed types.
        case pii(types: [PIIType])
        /// Credentials: provider API keys, AWS access keys, private-key blocks.
        case secrets
        /// An input longer than a number of characters or of estimated tokens (about four characters each).
        case maxInput(maxCharacters: Int?, maxTokens: Int?)
        /// Another endpoint, asked whether the text violates `policy`; blocks on a "yes" verdict.
        case llmJudge(endpoint: Endpoint.Slug, policy: String)

        /// The wire name (`blocked_terms`, `regex`, `pii`, `secrets`, `max_input`, `llm_judge`).
        public var name: String {
            switch self {
            case .blockedTerms: "blocked_terms"
            case .regex: "regex"
            case .pii: "pii"
            case .secrets: "secrets"
            case .maxInput: "max_input"
            case .llmJudge: "llm_judge"
            }
        }
    }

    /// The identifier.
    public var id: ID
    /// A display name, used in the error a block produces.
    public var name: String
    /// What the rule looks for.
    public var kind: Kind
    /// When it runs.
    public var stage: Stage
    /// What it does on a match.
    public var action: Action
    /// Which endpoints it covers.
    public var scope: Scope
    /// Rules run in ascending order; ties by name.
    public var order: Int
    /// Inactive rules are kept but never run nor counted.
    public var active: Bool
    /// Bumped on every edit; a stale edit is a conflict.
    public var version: Int
    /// When it was created.
    public var createdAt: Date
    /// When it was last edited.
    public var updatedAt: Date

    /// Creates a rule record.
    /// - Parameters:
    ///   - id: the identifier.
    ///   - name: a display name.
    ///   - kind: what it looks for.
    ///   - stage: when it runs.
    ///   - action: what it does on a match.
    ///   - scope: which endpoints it covers.
    ///   - order: its place among the rules.
    ///   - active: whether it runs.
    ///   - version: its version.
    ///   - createdAt: when it was created.
    ///   - updatedAt: when it was last edited.
    public init(
        id: ID, name: String, kind: Kind, stage: Stage, action: Action, scope: Scope = .everyEndpoint,
        order: Int = 0, active: Bool = true, version: Int = 1, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.stage = stage
        self.action = action
        self.scope = scope
        self.order = order
        self.active = active
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
