import GatewayKit
import GatewayKitTesting
import Testing

@Suite struct InMemoryUsageStoreTests {
    @Test(
        "the in-memory usage store passes the usage conformance suite", arguments: UsageStoreConformanceSuite.Check.all)
    func conformance(_ check: UsageStoreConformanceSuite.Check) async throws {
        try await UsageStoreConformanceSuite(makeStore: { InMemoryUsageStore() }).run(check)
    }
}
