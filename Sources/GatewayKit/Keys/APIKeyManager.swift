/// Creates, rotates, deletes and lists upstream API keys. Admin only. Secrets are write-only:
/// nothing here returns one.
public struct APIKeyManager: Sendable {
    let writer: ConfigWriter
    let live: LiveConfiguration
    let usage: KeyUsageTracker

    /// Adds a key; its secret is sealed before it is stored.
    /// - Parameters:
    ///   - draft: name, provider, secret and settings.
    ///   - caller: who asks; must be an Admin.
    /// - Returns: the key's metadata, secret masked.
    /// - Throws: `GatewayError` `forbidden`; `invalidRequest` naming `name`, `secret` or `provider`.
    @discardableResult
    public func create(_ draft: APIKey.Draft, by caller: Caller) async throws -> APIKey {
        try caller.require(.manageKeys)
        return try await writer.createKey(draft)
    }

    /// Edits a key; a new secret takes effect on the next request.
    /// - Parameters:
    ///   - id: the key.
    ///   - change: what to replace.
    ///   - expectedVersion: the version the edit is based on; `nil` for the current one.
    ///   - caller: who asks; must be an Admin.
    /// - Throws: `GatewayError` `forbidden`; `notFound`; `conflict` on a stale version.
    @discardableResult
    public func update(_ id: APIKey.ID, _ change: APIKey.Change, expectedVersion: Int? = nil, by caller: Caller)
        async throws -> APIKey
    {
        try caller.require(.manageKeys)
        return try await writer.updateKey(id, change, expectedVersion: expectedVersion)
    }

    /// Deletes a key that no endpoint uses.
    /// - Throws: `GatewayError` `forbidden`; `notFound`; `conflict` naming the endpoints that use it.
    public func delete(_ id: APIKey.ID, by caller: Caller) async throws {
        try caller.require(.manageKeys)
        try await writer.deleteKey(id)
    }

    /// Every key, sorted by name, secrets masked.
    /// - Throws: `GatewayError` `forbidden` unless the caller is an Admin.
    public func list(by caller: Caller) throws(GatewayError) -> [APIKey] {
        try caller.require(.manageKeys)
        return live.current.keys.values.map { usage.merged($0.key) }.sorted {
            ($0.name, $0.id.rawValue) < ($1.name, $1.id.rawValue)
        }
    }

    /// One key, secret masked.
    /// - Throws: `GatewayError` `forbidden`; `notFound`.
    public func get(_ id: APIKey.ID, by caller: Caller) throws(GatewayError) -> APIKey {
        try caller.require(.manageKeys)
        guard let live = live.current.keys[id] else { throw GatewayError.notFound("no API key '\(id)'") }
        return usage.merged(live.key)
    }
}
