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
private final class LastWriterWinsStore: ForwardingGatewayStore {
    let base = InMemoryGatewayStore()

    func updateEndpoint(_ endpoint: Endpoint, expectedVersion: Int) async throws {
        let stored = try await base.load().endpoints.first { $0.slug == endpoint.slug }
        try await base.updateEndpoint(endpoint, expectedVersion: stored?.version ?? expectedVersion)
    }
}
