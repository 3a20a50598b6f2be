import GatewayKit
import GatewayKitTesting
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct InMemoryGatewayStoreTests {
    @Test("passes the store conformance suite", arguments: StoreConformanceSuite.Check.all)
    func conformance(_ check: StoreConformanceSuite.Check) async throws {
        try await StoreConformanceSuite(makeStore: { InMemoryGatewayStore() }).run(check)
    }

    @Test("runs the whole conformance suite in one call")
    func wholeSuite() async throws {
        try await StoreConformanceSuite(makeStore: { InMemoryGatewayStore() }).run()
    }

    @Test("the suite catches a store that loses updates")
    func suiteCatchesLostUpdate() async throws {
        let suite = StoreConformanceSuite(makeStore: { LastWriterWinsStore() })
        let check = try #require(
            StoreConformanceSuite.Check.all.first { $0.name.contains("stale version is a conflict") })
        let failure = await #expect(throws: StoreConformanceFailure.self) { try await suite.run(check) }
        #expect(failure?.check == check.name)
    }
}

// A deliberately broken store: updates ignore the expected version. The suite must reject it.
private final class LastWriterWinsStore: GatewayStore {
    private let base = InMemoryGatewayStore()

    func load() async throws -> StoreContents { try await base.load() }
    func insertEndpoint(_ endpoint: Endpoint) async throws { try await base.insertEndpoint(endpoint) }
    func updateEndpoint(_ endpoint: Endpoint, expectedVersion: Int) async throws {
        let stored = try await base.load().endpoints.first { $0.slug == endpoint.slug }
        try await base.updateEndpoint(endpoint, expectedVersion: stored?.version ?? expectedVersion)
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
