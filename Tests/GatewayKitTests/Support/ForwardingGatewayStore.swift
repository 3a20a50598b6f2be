import GatewayKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A test store that hands every call to `base`; a conforming store writes only the calls it
/// changes (a broken update, a held insert, seeded rules).
protocol ForwardingGatewayStore: GatewayStore {
    associatedtype Base: GatewayStore
    var base: Base { get }
}

extension ForwardingGatewayStore {
    func load() async throws -> StoreContents { try await base.load() }
    func insertEndpoint(_ endpoint: Endpoint) async throws { try await base.insertEndpoint(endpoint) }
    func updateEndpoint(_ endpoint: Endpoint, expectedVersion: Int) async throws {
        try await base.updateEndpoint(endpoint, expectedVersion: expectedVersion)
    }
    func deleteEndpoint(_ slug: Endpoint.Slug, expectedVersion: Int?) async throws {
        try await base.deleteEndpoint(slug, expectedVersion: expectedVersion)
    }
    func insertAPIKey(_ key: StoredAPIKey) async throws { try await base.insertAPIKey(key) }
    func updateAPIKey(_ key: StoredAPIKey, expectedVersion: Int) async throws {
        try await base.updateAPIKey(key, expectedVersion: expectedVersion)
    }
    func deleteAPIKey(_ id: APIKey.ID) async throws { try await base.deleteAPIKey(id) }
    func recordAPIKeyUse(_ uses: [APIKey.ID: Date]) async throws { try await base.recordAPIKeyUse(uses) }
    func insertAccessToken(_ token: AccessToken) async throws { try await base.insertAccessToken(token) }
    func deleteAccessToken(_ id: AccessToken.ID) async throws { try await base.deleteAccessToken(id) }
    func insertGuardrail(_ rule: GuardrailRule) async throws { try await base.insertGuardrail(rule) }
    func updateGuardrail(_ rule: GuardrailRule, expectedVersion: Int) async throws {
        try await base.updateGuardrail(rule, expectedVersion: expectedVersion)
    }
    func deleteGuardrail(_ id: GuardrailRule.ID, expectedVersion: Int?) async throws {
        try await base.deleteGuardrail(id, expectedVersion: expectedVersion)
    }
    func changes() -> AsyncStream<StoreChange> { base.changes() }
}
