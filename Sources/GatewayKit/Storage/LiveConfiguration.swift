import Synchronization

/// An API key with its opened secret, as the router uses it.
struct LiveKey: Sendable {
    var key: APIKey
    var secret: Secret
}

/// The configuration the request path reads: an immutable value, replaced whole on every change.
struct ConfigSnapshot: Sendable {
    var endpoints: [Endpoint.Slug: Endpoint] = [:]
    var keys: [APIKey.ID: LiveKey] = [:]
    var tokens: [AccessToken.ID: AccessToken] = [:]
    var tokensByHash: [String: AccessToken] = [:]
    var guardrailRules: [GuardrailRule.ID: GuardrailRule] = [:]
    var guardrails = GuardrailSet()

    var apiKeys: [APIKey.ID: APIKey] { keys.mapValues(\.key) }

    /// Builds a snapshot from stored contents, opening every secret.
    /// - Throws: `GatewayError` `internal` naming every key whose secret cannot be opened.
    init(_ contents: StoreContents, sealer: SecretSealer) throws(GatewayError) {
        var failed: [String] = []
        for stored in contents.apiKeys {
            do {
                keys[stored.key.id] = LiveKey(key: stored.key, secret: try sealer.open(stored.sealedSecret))
            } catch {
                failed.append("'\(stored.key.name)' (\(stored.key.id))")
            }
        }
        if !failed.isEmpty {
            throw GatewayError(
                .internal,
                "the secrets of API keys \(failed.joined(separator: ", ")) cannot be opened with the configured "
                    + "master key; start with the master key they were sealed with"
            )
        }
        for endpoint in contents.endpoints { endpoints[endpoint.slug] = endpoint }
        for token in contents.accessTokens { insert(token) }
        for rule in contents.guardrails { guardrailRules[rule.id] = rule }
        guardrails = GuardrailSet(contents.guardrails)
    }

    init() {}

    mutating func insert(_ token: AccessToken) {
        tokens[token.id] = token
        tokensByHash[token.tokenHash] = token
    }

    mutating func removeToken(_ id: AccessToken.ID) {
        if let token = tokens.removeValue(forKey: id) { tokensByHash[token.tokenHash] = nil }
    }
}

/// Holds the current snapshot. Readers take a copy under a short lock; writers replace it.
final class LiveConfiguration: Sendable {
    private let state: Mutex<ConfigSnapshot>

    init(_ snapshot: ConfigSnapshot) {
        self.state = Mutex(snapshot)
    }

    var current: ConfigSnapshot { state.withLock { $0 } }

    func update<T>(_ body: (inout ConfigSnapshot) throws -> T) rethrows -> T {
        try state.withLock { try body(&$0) }
    }
}
