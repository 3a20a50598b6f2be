#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import Synchronization

/// A store that keeps everything in memory, for tests and throwaway gateways.
///
/// Several gateways given the same instance see each other's writes through ``changes()``, the
/// way instances sharing a database would.
public final class InMemoryGatewayStore: GatewayStore {
    private struct State {
        var endpoints: [Endpoint.Slug: Endpoint] = [:]
        var keys: [APIKey.ID: StoredAPIKey] = [:]
        var tokens: [AccessToken.ID: AccessToken] = [:]
        var guardrails: [GuardrailRule.ID: GuardrailRule] = [:]
        var watchers: [Int: AsyncStream<StoreChange>.Continuation] = [:]
        var nextWatcher = 0
    }

    private let state = Mutex(State())

    /// Creates an empty store.
    public init() {}

    public func load() async throws -> StoreContents {
        state.withLock { state in
            StoreContents(
                endpoints: state.endpoints.values.sorted { $0.slug < $1.slug },
                apiKeys: state.keys.values.sorted { $0.key.id.rawValue < $1.key.id.rawValue },
                accessTokens: state.tokens.values.sorted { $0.id.rawValue < $1.id.rawValue },
                guardrails: state.guardrails.values.sorted { $0.id.rawValue < $1.id.rawValue }
            )
        }
    }

    public func insertEndpoint(_ endpoint: Endpoint) async throws {
        try write(.endpoint(endpoint.slug)) { state throws(GatewayError) in
            guard state.endpoints[endpoint.slug] == nil else {
                throw GatewayError(.conflict, "an endpoint with slug '\(endpoint.slug)' already exists", field: "slug")
            }
            state.endpoints[endpoint.slug] = endpoint
        }
    }

    public func updateEndpoint(_ endpoint: Endpoint, expectedVersion: Int) async throws {
        try write(.endpoint(endpoint.slug)) { state throws(GatewayError) in
            guard let stored = state.endpoints[endpoint.slug] else {
                throw GatewayError.notFound("no endpoint '\(endpoint.slug)'")
            }
            try Self.check(stored.version, expected: expectedVersion, what: "endpoint '\(endpoint.slug)'")
            state.endpoints[endpoint.slug] = endpoint
        }
    }

    public func deleteEndpoint(_ slug: Endpoint.Slug, expectedVersion: Int?) async throws {
        try write(.endpoint(slug)) { state throws(GatewayError) in
            guard let stored = state.endpoints[slug] else { throw GatewayError.notFound("no endpoint '\(slug)'") }
            if let expectedVersion { try Self.check(stored.version, expected: expectedVersion, what: "endpoint '\(slug)'") }
            state.endpoints[slug] = nil
        }
    }

    public func insertAPIKey(_ key: StoredAPIKey) async throws {
        try write(.apiKey(key.key.id)) { state throws(GatewayError) in
            guard state.keys[key.key.id] == nil else {
                throw GatewayError(.conflict, "an API key with id '\(key.key.id)' already exists")
            }
            state.keys[key.key.id] = key
        }
    }

    public func updateAPIKey(_ key: StoredAPIKey, expectedVersion: Int) async throws {
        try write(.apiKey(key.key.id)) { state throws(GatewayError) in
            guard let stored = state.keys[key.key.id] else { throw GatewayError.notFound("no API key '\(key.key.id)'") }
            try Self.check(stored.key.version, expected: expectedVersion, what: "API key '\(key.key.id)'")
            state.keys[key.key.id] = key
        }
    }

    public func deleteAPIKey(_ id: APIKey.ID) async throws {
        try write(.apiKey(id)) { state throws(GatewayError) in
            guard state.keys.removeValue(forKey: id) != nil else { throw GatewayError.notFound("no API key '\(id)'") }
        }
    }

    public func recordAPIKeyUse(_ uses: [APIKey.ID: Date]) async throws {
        state.withLock { state in
            for (id, date) in uses where state.keys[id] != nil {
                let previous = state.keys[id]?.key.lastUsedAt ?? .distantPast
                state.keys[id]?.key.lastUsedAt = max(previous, date)
            }
        }
    }

    public func insertAccessToken(_ token: AccessToken) async throws {
        try write(.accessToken(token.id)) { state throws(GatewayError) in
            guard state.tokens[token.id] == nil, !state.tokens.values.contains(where: { $0.tokenHash == token.tokenHash })
            else { throw GatewayError(.conflict, "an access token with id '\(token.id)' already exists") }
            state.tokens[token.id] = token
        }
    }

    public func deleteAccessToken(_ id: AccessToken.ID) async throws {
        try write(.accessToken(id)) { state throws(GatewayError) in
            guard state.tokens.removeValue(forKey: id) != nil else {
                throw GatewayError.notFound("no access token '\(id)'")
            }
        }
    }

    public func insertGuardrail(_ rule: GuardrailRule) async throws {
        try write(.guardrail(rule.id)) { state throws(GatewayError) in
            guard state.guardrails[rule.id] == nil else {
                throw GatewayError(.conflict, "a guardrail rule with id '\(rule.id)' already exists")
            }
            state.guardrails[rule.id] = rule
        }
    }

    public func updateGuardrail(_ rule: GuardrailRule, expectedVersion: Int) async throws {
        try write(.guardrail(rule.id)) { state throws(GatewayError) in
            guard let stored = state.guardrails[rule.id] else {
                throw GatewayError.notFound("no guardrail rule '\(rule.id)'")
            }
            try Self.check(stored.version, expected: expectedVersion, what: "guardrail rule '\(rule.id)'")
            state.guardrails[rule.id] = rule
        }
    }

    public func deleteGuardrail(_ id: GuardrailRule.ID, expectedVersion: Int?) async throws {
        try write(.guardrail(id)) { state throws(GatewayError) in
            guard let stored = state.guardrails[id] else { throw GatewayError.notFound("no guardrail rule '\(id)'") }
            if let expectedVersion {
                try Self.check(stored.version, expected: expectedVersion, what: "guardrail rule '\(id)'")
            }
            state.guardrails[id] = nil
        }
    }

    public func changes() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: StoreChange.self, bufferingPolicy: .bufferingNewest(256))
        let id = state.withLock { state -> Int in
            state.nextWatcher += 1
            state.watchers[state.nextWatcher] = continuation
            return state.nextWatcher
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
        }
        return stream
    }

    private func write(_ change: StoreChange, _ body: (inout State) throws(GatewayError) -> Void) throws(GatewayError) {
        let watchers = try state.withLock { state throws(GatewayError) in
            try body(&state)
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.yield(change) }
    }

    private static func check(_ stored: Int, expected: Int, what: String) throws(GatewayError) {
        guard stored == expected else {
            throw GatewayError(
                .conflict, "\(what) was changed by someone else (version \(stored), you edited \(expected)); reload and retry"
            )
        }
    }
}
