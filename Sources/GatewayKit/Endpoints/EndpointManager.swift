/// Creates, edits, deletes and lists a gateway's endpoints. Every change reaches the router at once.
public struct EndpointManager: Sendable {
    let writer: ConfigWriter
    let live: LiveConfiguration

    /// Creates an endpoint. Its slug is the draft's custom slug, or one generated from its name
    /// (`-2`, `-3`, … appended when taken).
    /// - Parameters:
    ///   - draft: the endpoint's settings.
    ///   - caller: who asks; must be an Admin or an Editor.
    /// - Returns: the stored endpoint, with its slug and version 1.
    /// - Throws: `GatewayError` `forbidden`; `invalidRequest` naming the field at fault; `conflict`
    ///   when a custom slug is taken; `storageUnavailable`.
    @discardableResult
    public func create(_ draft: Endpoint.Draft, by caller: Caller) async throws -> Endpoint {
        try caller.require(.writeEndpoints)
        return try await writer.createEndpoint(draft)
    }

    /// Edits an endpoint: `edit` changes a draft holding its current settings.
    /// - Parameters:
    ///   - slug: the endpoint.
    ///   - expectedVersion: the version the edit is based on; `nil` for the current one.
    ///   - caller: who asks; must be an Admin or an Editor.
    ///   - edit: changes the draft.
    /// - Returns: the stored endpoint, version bumped.
    /// - Throws: `GatewayError` `forbidden`; `notFound`; `conflict` when `expectedVersion` is stale;
    ///   `invalidRequest` naming the field at fault.
    @discardableResult
    public func update(
        _ slug: Endpoint.Slug, expectedVersion: Int? = nil, by caller: Caller,
        _ edit: (inout Endpoint.Draft) throws -> Void
    ) async throws -> Endpoint {
        try caller.require(.writeEndpoints)
        guard let current = live.current.endpoints[slug], current.allows(caller.role) else {
            throw GatewayError.notFound("no endpoint '\(slug)'")
        }
        var draft = Endpoint.Draft(current)
        try edit(&draft)
        return try await writer.updateEndpoint(slug, draft: draft, expectedVersion: expectedVersion ?? current.version)
    }

    /// Deletes an endpoint; its slug fails with `notFound` from the next request on. An endpoint
    /// that others fall back to cannot be deleted until they stop naming it.
    /// - Parameters:
    ///   - slug: the endpoint.
    ///   - expectedVersion: delete only if this is still the stored version.
    ///   - caller: who asks; must be an Admin or an Editor.
    /// - Throws: `GatewayError` `forbidden`; `notFound`; `conflict` when others fall back to it or
    ///   the version is stale.
    public func delete(_ slug: Endpoint.Slug, expectedVersion: Int? = nil, by caller: Caller) async throws {
        try caller.require(.writeEndpoints)
        guard let current = live.current.endpoints[slug], current.allows(caller.role) else {
            throw GatewayError.notFound("no endpoint '\(slug)'")
        }
        try await writer.deleteEndpoint(slug, expectedVersion: expectedVersion)
    }

    /// One endpoint, if the caller's role may see it.
    /// - Throws: `GatewayError` `notFound` when it is missing or hidden from the caller.
    public func get(_ slug: Endpoint.Slug, by caller: Caller) throws(GatewayError) -> EndpointSummary {
        let snapshot = live.current
        guard let endpoint = snapshot.endpoints[slug], endpoint.allows(caller.role) else {
            throw GatewayError.notFound("no endpoint '\(slug)'")
        }
        return EndpointSummary(endpoint, snapshot: snapshot)
    }

    /// The endpoints the caller's role may see, sorted by slug, with what a list shows.
    public func list(by caller: Caller) -> [EndpointSummary] {
        let snapshot = live.current
        return snapshot.endpoints.values
            .filter { $0.allows(caller.role) }
            .sorted { $0.slug < $1.slug }
            .map { EndpointSummary($0, snapshot: snapshot) }
    }
}

/// An endpoint as a list shows it: the endpoint, and what it resolves to.
public struct EndpointSummary: Sendable, Hashable {
    /// The endpoint.
    public var endpoint: Endpoint
    /// The primary target's provider.
    public var provider: Provider?
    /// The primary target's model.
    public var model: ModelRef?
    /// The primary target's API key name, when it has a key.
    public var keyName: String?
    /// Whether it names any fallback.
    public var hasFallback: Bool
    /// How many active guardrail rules apply to it.
    public var activeGuardrails: Int

    init(_ endpoint: Endpoint, snapshot: ConfigSnapshot) {
        self.endpoint = endpoint
        self.model = endpoint.primaryTarget?.model
        self.provider = model?.provider
        self.keyName = endpoint.primaryTarget?.apiKeyID.flatMap { snapshot.keys[$0]?.key.name }
        self.hasFallback = !endpoint.fallbacks.isEmpty
        self.activeGuardrails = snapshot.activeGuardrailCount(for: endpoint.slug)
    }

    /// The endpoint's slug.
    public var slug: Endpoint.Slug { endpoint.slug }
    /// The endpoint's rate limit.
    public var rateLimitRPM: Int? { endpoint.rateLimitRPM }
    /// Whether the endpoint answers.
    public var isActive: Bool { endpoint.isActive }
}
