#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// An upstream provider credential: the account a provider is reached with.
///
/// The secret itself is never part of this value: it is sealed before it is stored and only the
/// router ever sees it opened. ``masked`` is what listings show.
public struct APIKey: Sendable, Hashable, Codable, Identifiable {
    /// An API key's identifier (`key_…`); safe to log and show.
    public struct ID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
        ExpressibleByStringLiteral
    {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
        static func generate() -> ID { ID(rawValue: "key_" + RandomID.hex(byteCount: 8)) }
    }

    /// Where and how a provider is reached, beyond the secret.
    public struct Settings: Sendable, Hashable, Codable {
        /// Overrides the provider's default base URL, written as the provider's SDK takes it
        /// (`https://api.openai.com/v1`, `http://localhost:11434/v1`, an Azure resource URL).
        public var baseURL: String?
        /// The API version (Azure `api-version`, Anthropic `anthropic-version`).
        public var apiVersion: String?
        /// The cloud region (Bedrock).
        public var region: String?
        /// The cloud project (Vertex AI).
        public var project: String?
        /// The cloud location (Vertex AI).
        public var location: String?

        /// Creates settings; every field is optional.
        public init(
            baseURL: String? = nil, apiVersion: String? = nil, region: String? = nil, project: String? = nil,
            location: String? = nil
        ) {
            self.baseURL = baseURL
            self.apiVersion = apiVersion
            self.region = region
            self.project = project
            self.location = location
        }
    }

    /// What a caller gives to create a key.
    public struct Draft: Sendable {
        /// A display name (`"OpenAI prod"`).
        public var name: String
        /// The provider the key belongs to.
        public var provider: Provider
        /// The secret; sealed before it is stored.
        public var secret: Secret
        /// Where the provider is reached.
        public var settings: Settings

        /// Creates a draft.
        /// - Parameters:
        ///   - name: a display name.
        ///   - provider: the provider.
        ///   - secret: the secret value.
        ///   - settings: base URL, API version, region, project, location.
        public init(name: String, provider: Provider, secret: String, settings: Settings = .init()) {
            self.name = name
            self.provider = provider
            self.secret = Secret(secret)
            self.settings = settings
        }
    }

    /// The identifier.
    public var id: ID
    /// The display name.
    public var name: String
    /// The provider.
    public var provider: Provider
    /// Where the provider is reached.
    public var settings: Settings
    /// The secret, masked (`sk-…abcd`).
    public var masked: String
    /// Bumped on every write; an edit naming an older version is a conflict.
    public var version: Int
    /// When it was created.
    public var createdAt: Date
    /// When the router last used it, if ever.
    public var lastUsedAt: Date?

    /// Creates key metadata.
    /// - Parameters:
    ///   - id: the identifier.
    ///   - name: the display name.
    ///   - provider: the provider.
    ///   - settings: base URL and other provider settings.
    ///   - masked: the masked secret.
    ///   - version: the record version.
    ///   - createdAt: creation time.
    ///   - lastUsedAt: last use, if any.
    public init(
        id: ID, name: String, provider: Provider, settings: Settings, masked: String, version: Int,
        createdAt: Date, lastUsedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.provider = provider
        self.settings = settings
        self.masked = masked
        self.version = version
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}

/// An API key as a store keeps it: the metadata and the sealed secret.
public struct StoredAPIKey: Sendable, Hashable, Codable {
    /// The metadata.
    public var key: APIKey
    /// The secret sealed by a ``SecretSealer``; never the plain secret.
    public var sealedSecret: String

    /// Creates a stored key.
    /// - Parameters:
    ///   - key: the metadata.
    ///   - sealedSecret: the sealed secret.
    public init(key: APIKey, sealedSecret: String) {
        self.key = key
        self.sealedSecret = sealedSecret
    }
}

extension APIKey {
    /// An edit of an API key: each field set replaces the stored one. Setting ``secret`` rotates
    /// the key; the next request uses the new secret.
    public struct Change: Sendable {
        /// A new display name.
        public var name: String?
        /// A new secret.
        public var secret: Secret?
        /// New settings, replacing the old ones whole.
        public var settings: Settings?

        /// Creates a change.
        /// - Parameters:
        ///   - name: a new display name.
        ///   - secret: a new secret (rotation).
        ///   - settings: new settings.
        public init(name: String? = nil, secret: String? = nil, settings: Settings? = nil) {
            self.name = name
            self.secret = secret.map(Secret.init)
            self.settings = settings
        }
    }
}
