public import GatewayKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks every ``GatewayKit/UsageStore`` backend must pass: sums and counts per endpoint and per
/// model, exact decimal costs, nearest-rank p50/p95/p99 latencies, the endpoint filter, a time
/// range that includes its start and excludes its end, and deleting records before a cutoff.
///
/// ```swift
/// @Test(arguments: UsageStoreConformanceSuite.Check.all)
/// func usageConformance(_ check: UsageStoreConformanceSuite.Check) async throws {
///     try await UsageStoreConformanceSuite(makeStore: { try MyStore(...) }).run(check)
/// }
/// ```
///
/// Checks write records for fresh random endpoint slugs and query only those, so a backend may
/// hand every check one shared database. The deletion check writes records dated 2001 and
/// deletes before mid-2001; other checks write records dated 2030.
public struct UsageStoreConformanceSuite: Sendable {
    /// One named check.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check verifies, in words.
        public let name: String
        let body: @Sendable (any UsageStore) async throws -> Void

        /// The check's name.
        public var description: String { name }

        /// Every check.
        public static var all: [Check] {
            [
                Check(name: "sums, counts and nearest-rank percentiles per endpoint", body: aggregatesByEndpoint),
                Check(name: "groups by model, records without a model under the empty key", body: groupsByModel),
                Check(name: "a time range includes its start and excludes its end", body: timeRange),
                Check(name: "deletes the records before a cutoff and keeps the rest", body: deletesOldRecords),
                Check(name: "an empty selection gives no summaries", body: emptySelection),
            ]
        }
    }

    private let makeStore: @Sendable () async throws -> any UsageStore

    /// Creates the suite for a backend.
    /// - Parameter makeStore: makes the store a check runs against; called once per check.
    public init(makeStore: @escaping @Sendable () async throws -> any UsageStore) {
        self.makeStore = makeStore
    }

    /// Runs every check, stopping at the first that fails.
    /// - Throws: ``StoreConformanceFailure`` naming the check and the mismatch.
    public func run() async throws {
        for check in Check.all { try await run(check) }
    }

    /// Runs one check against a new store from `makeStore`.
    /// - Parameter check: the check.
    /// - Throws: ``StoreConformanceFailure`` naming the check and the mismatch, also when the store
    ///   throws.
    public func run(_ check: Check) async throws {
        do {
            try await check.body(try await makeStore())
        } catch let failure as Mismatch {
            throw StoreConformanceFailure(check: check.name, message: failure.message)
        } catch {
            throw StoreConformanceFailure(check: check.name, message: "unexpected error: \(String(reflecting: error))")
        }
    }
}

extension UsageStoreConformanceSuite {
    static let gpt4o = ModelRef(provider: .openai, name: "gpt-4o")
    static let base = Date(timeIntervalSince1970: 1_900_000_000)  // 2030-03-17

    static func freshSlug(_ label: String) -> Endpoint.Slug {
        Endpoint.Slug(rawValue: "usage-\(label)-\(UUID().uuidString.prefix(8).lowercased())")
    }

    static func record(
        _ endpoint: Endpoint.Slug, at offset: TimeInterval = 0, model: ModelRef? = gpt4o,
        prompt: Int = 0, completion: Int = 0, cost: Decimal = 0, unpriced: Bool = false, latencyMS: Int64 = 1,
        status: UsageRecord.Status = .ok
    ) -> UsageRecord {
        UsageRecord(
            time: base.addingTimeInterval(offset), endpoint: endpoint, servedBy: endpoint, model: model,
            tokenID: "tok_conformance", role: .editor, promptTokens: prompt, completionTokens: completion,
            costUSD: cost, unpriced: unpriced, latency: .milliseconds(latencyMS), overhead: .microseconds(250),
            status: status
        )
    }

    static func aggregatesByEndpoint(_ store: any UsageStore) async throws {
        let hundred = freshSlug("hundred")
        let three = freshSlug("three")
        // Latencies 1…100 ms in a shuffled order; every tenth request failed.
        let perRequest = Decimal(string: "0.0075") ?? 0
        var records: [UsageRecord] = []
        for index in 1...100 {
            let status: UsageRecord.Status = index % 10 == 0 ? .init(.upstreamTimeout) : .ok
            records.append(
                record(
                    hundred, at: Double(index), prompt: 1_000, completion: 500, cost: perRequest, unpriced: index == 7,
                    latencyMS: Int64(index), status: status
                )
            )
        }
        records.shuffle()
        let small = Decimal(string: "0.000015") ?? 0
        for latency: Int64 in [10, 30, 20] {
            records.append(record(three, prompt: 3, completion: 1, cost: small, latencyMS: latency))
        }
        try await store.record(Array(records.prefix(60)))
        try await store.record(Array(records.dropFirst(60)))

        let only = try await store.summary(UsageQuery(endpoint: hundred))
        try require(only.count == 1, "the endpoint filter returned \(only.map(\.key)), expected only \(hundred)")
        let summary = only[0]
        try require(summary.key == hundred.rawValue, "the summary's key is \(summary.key), expected \(hundred)")
        try require(summary.requests == 100, "requests \(summary.requests), expected 100")
        try require(summary.errors == 10, "errors \(summary.errors), expected 10")
        try require(summary.promptTokens == 100_000, "prompt tokens \(summary.promptTokens), expected 100000")
        try require(summary.completionTokens == 50_000, "completion tokens \(summary.completionTokens), expected 50000")
        try require(summary.costUSD == Decimal(string: "0.75"), "cost \(summary.costUSD), expected exactly 0.75")
        try require(summary.unpricedRequests == 1, "unpriced requests \(summary.unpricedRequests), expected 1")
        try require(
            summary.p50 == .milliseconds(50) && summary.p95 == .milliseconds(95) && summary.p99 == .milliseconds(99),
            "percentiles \(summary.p50)/\(summary.p95)/\(summary.p99), expected 50/95/99 ms (nearest rank)"
        )

        let smallSummaries = try await store.summary(UsageQuery(endpoint: three))
        try require(smallSummaries.count == 1, "endpoint \(three) gave \(smallSummaries.count) summaries, expected 1")
        let triple = smallSummaries[0]
        try require(
            triple.p50 == .milliseconds(20) && triple.p95 == .milliseconds(30) && triple.p99 == .milliseconds(30),
            "percentiles of 10/20/30 ms were \(triple.p50)/\(triple.p95)/\(triple.p99), expected 20/30/30 ms"
        )
        try require(triple.costUSD == Decimal(string: "0.000045"), "cost \(triple.costUSD), expected 0.000045")
    }

    static func groupsByModel(_ store: any UsageStore) async throws {
        let slug = freshSlug("models")
        try await store.record([
            record(slug, model: gpt4o, prompt: 10, latencyMS: 5),
            record(slug, model: gpt4o, prompt: 20, latencyMS: 7),
            record(slug, model: ModelRef(provider: .anthropic, name: "claude-sonnet-4-5"), completion: 4, latencyMS: 9),
            record(slug, model: nil, latencyMS: 1, status: .init(.rateLimited)),
        ])
        let summaries = try await store.summary(UsageQuery(endpoint: slug, groupBy: .model))
        let keys = summaries.map(\.key)
        try require(
            keys == ["", "anthropic/claude-sonnet-4-5", "openai/gpt-4o"],
            "model keys \(keys), expected the empty key, then the two models, sorted"
        )
        try require(
            summaries[0].errors == 1 && summaries[0].requests == 1,
            "the record without a model was not counted as one error")
        try require(summaries[2].requests == 2 && summaries[2].promptTokens == 30, "gpt-4o: \(summaries[2])")
        try require(summaries[1].completionTokens == 4, "claude: \(summaries[1])")
    }

    static func timeRange(_ store: any UsageStore) async throws {
        let slug = freshSlug("range")
        try await store.record([0, 60, 120, 180].map { record(slug, at: $0, prompt: 1) })
        let from = base.addingTimeInterval(60)
        let to = base.addingTimeInterval(180)
        let inRange = try await store.summary(UsageQuery(endpoint: slug, from: from, to: to))
        try require(
            inRange.first?.requests == 2, "from +60 s to +180 s selected \(inRange.first?.requests ?? 0), expected 2")
        let fromOnly = try await store.summary(UsageQuery(endpoint: slug, from: from))
        try require(fromOnly.first?.requests == 3, "from +60 s selected \(fromOnly.first?.requests ?? 0), expected 3")
        let toOnly = try await store.summary(UsageQuery(endpoint: slug, to: from))
        try require(toOnly.first?.requests == 1, "before +60 s selected \(toOnly.first?.requests ?? 0), expected 1")
    }

    static func deletesOldRecords(_ store: any UsageStore) async throws {
        let slug = freshSlug("retention")
        let old = Date(timeIntervalSince1970: 980_000_000)  // January 2001
        let cutoff = Date(timeIntervalSince1970: 993_000_000)  // June 2001
        var oldRecord = record(slug)
        oldRecord.time = old
        var keptRecord = record(slug)
        keptRecord.time = cutoff
        try await store.record([oldRecord, keptRecord, record(slug)])
        let deleted = try await store.deleteUsage(before: cutoff)
        try require(deleted == 1, "deleteUsage(before:) deleted \(deleted) records, expected 1")
        let left = try await store.summary(UsageQuery(endpoint: slug))
        try require(left.first?.requests == 2, "\(left.first?.requests ?? 0) records left, expected 2")
        let again = try await store.deleteUsage(before: cutoff)
        try require(again == 0, "a second deleteUsage(before:) deleted \(again), expected 0")
    }

    static func emptySelection(_ store: any UsageStore) async throws {
        let summaries = try await store.summary(UsageQuery(endpoint: freshSlug("nothing")))
        try require(summaries.isEmpty, "a query matching nothing returned \(summaries.count) summaries")
        try await store.record([])
    }
}
