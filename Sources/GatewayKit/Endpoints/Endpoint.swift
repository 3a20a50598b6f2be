#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A named, versioned route to one or more models: what an application calls instead of a model.
///
/// An endpoint maps its ``slug`` to weighted ``targets`` (a model and the API key that reaches it),
/// applies its defaults (system prompt, temperature, max tokens), its rate limit and its allowed
/// roles, and names the endpoints to fall back to, in order.
public struct Endpoint: Sendable, Hashable, Codable, Identifiable {
    /// One place an endpoint's traffic can go.
    public struct Target: Sendable, Hashable, Codable {
        /// The model.
        public var model: ModelRef
        /// The API key that reaches it; `nil` for a provider that needs none.
        public var apiKeyID: APIKey.ID?
        /// The share of traffic, relative to the other targets' weights.
        public var weight: Double

        /// Creates a target.
        /// - Parameters:
        ///   - model: the model.
        ///   - apiKeyID: the key, or `nil` for a provider that needs none.
        ///   - weight: the relative share of traffic.
        public init(model: ModelRef, apiKeyID: APIKey.ID?, weight: Double = 1) {
            self.model = model
            self.apiKeyID = apiKeyID
            self.weight = weight
        }
    }

    /// The default upstream timeout.
    public static let defaultTimeout: Duration = .seconds(60)

    /// The unique slug callers use.
    public var slug: Slug
    /// The display name.
    public var name: String
    /// Where traffic goes; one target is the plain case.
    public var targets: [Target]
    /// Applied when a request sets no max tokens, and caps a request that asks for more.
    public var maxTokens: Int?
    /// Applied when a request sets no temperature.
    public var temperature: Double?
    /// Prepended to every request's messages.
    public var systemPrompt: String?
    /// Requests per minute over a sliding window; `nil` is unlimited.
    public var rateLimitRPM: Int?
    /// The endpoints to try, in order, when this one fails in a retryable way.
    public var fallbacks: [Slug]
    /// The roles that may see and call this endpoint.
    public var allowedRoles: Set<Role>
    /// Whether the endpoint answers; an inactive endpoint is `notFound` to callers.
    public var isActive: Bool
    /// The upstream timeout, in milliseconds.
    public var timeoutMilliseconds: Int
    /// Bumped on every edit; an edit naming an older version is a conflict.
    public var version: Int
    /// When it was created.
    public var createdAt: Date
    /// When it was last edited.
    public var updatedAt: Date

    public var id: Slug { slug }

    /// The upstream timeout.
    public var timeout: Duration { .milliseconds(timeoutMilliseconds) }

    /// The first target: the model the endpoint is listed with.
    public var primaryTarget: Target? { targets.first }

    /// Creates an endpoint value. Use ``EndpointManager/create(_:by:)`` to add one to a gateway.
    public init(
        slug: Slug, name: String, targets: [Target], maxTokens: Int? = nil, temperature: Double? = nil,
        systemPrompt: String? = nil, rateLimitRPM: Int? = nil, fallbacks: [Slug] = [],
        allowedRoles: Set<Role> = Set(Role.allCases), isActive: Bool = true,
        timeoutMilliseconds: Int = 60_000, version: Int = 1, createdAt: Date, updatedAt: Date
    ) {
        self.slug = slug
        self.name = name
        self.targets = targets
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.systemPrompt = systemPrompt
        self.rateLimitRPM = rateLimitRPM
        self.fallbacks = fallbacks
        self.allowedRoles = allowedRoles
        self.isActive = isActive
        self.timeoutMilliseconds = timeoutMilliseconds
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether `role` may see and call this endpoint.
    public func allows(_ role: Role) -> Bool { allowedRoles.contains(role) }
}
