import Foundation
import GatewayKit
import GatewayKitTesting
import Testing

@Suite struct InMemoryUsageStoreTests {
    @Test(
        "the in-memory usage store passes the usage conformance suite", arguments: UsageStoreConformanceSuite.Check.all)
    func conformance(_ check: UsageStoreConformanceSuite.Check) async throws {
        try await UsageStoreConformanceSuite(makeStore: { InMemoryUsageStore() }).run(check)
    }

    @Test("keeps at most maximumRecords, the most recent, however many batches arrive")
    func boundedRecords() async throws {
        let store = InMemoryUsageStore(maximumRecords: 100)
        let slug = Endpoint.Slug(rawValue: "bounded")
        func record(_ index: Int) -> UsageRecord {
            UsageRecord(
                time: Date(timeIntervalSince1970: 1_900_000_000 + Double(index)), endpoint: slug, servedBy: slug,
                model: nil, tokenID: nil, role: .admin, promptTokens: index, completionTokens: 0, costUSD: 0,
                unpriced: true, latency: .milliseconds(1), overhead: .microseconds(1), status: .ok
            )
        }
        for batch in 0..<50 {
            try await store.record((0..<7).map { record(batch * 7 + $0) })
            #expect(store.records.count <= 100)
        }
        let kept = store.records.map(\.promptTokens)
        #expect(kept.count >= 90)
        #expect(kept.last == 349, "the newest record is kept")
        #expect(kept == Array((350 - kept.count)..<350), "the oldest went first, in order")
        #expect(InMemoryUsageStore().maximumRecords == 100_000)
    }
}
