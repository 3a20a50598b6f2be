#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// Adds usage rows up into ``UsageSummary``s, for stores that aggregate in Swift (in memory,
/// SQLite). Percentiles are nearest-rank: the value at rank ⌈p/100 × n⌉ of the sorted latencies,
/// as PostgreSQL's `percentile_disc` computes them.
package struct UsageAggregator: Sendable {
    package struct Row: Sendable {
        var key: String
        var isError: Bool
        var promptTokens: Int
        var completionTokens: Int
        var costUSD: Decimal
        var unpriced: Bool
        var latencyMicroseconds: Int64

        package init(
            key: String, isError: Bool, promptTokens: Int, completionTokens: Int, costUSD: Decimal, unpriced: Bool,
            latencyMicroseconds: Int64
        ) {
            self.key = key
            self.isError = isError
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.costUSD = costUSD
            self.unpriced = unpriced
            self.latencyMicroseconds = latencyMicroseconds
        }

        package init(_ record: UsageRecord, query: UsageQuery) {
            self.init(
                key: query.key(of: record), isError: record.status.isError, promptTokens: record.promptTokens,
                completionTokens: record.completionTokens, costUSD: record.costUSD, unpriced: record.unpriced,
                latencyMicroseconds: record.latency.microseconds
            )
        }
    }

    private struct Group {
        var summary: UsageSummary
        var latencies: [Int64] = []
    }

    private var groups: [String: Group] = [:]

    package init() {}

    package mutating func add(_ row: Row) {
        var group =
            groups[row.key]
            ?? Group(
                summary: UsageSummary(
                    key: row.key, requests: 0, errors: 0, promptTokens: 0, completionTokens: 0, costUSD: 0,
                    unpricedRequests: 0, p50: .zero, p95: .zero, p99: .zero
                )
            )
        group.summary.requests += 1
        if row.isError { group.summary.errors += 1 }
        group.summary.promptTokens += row.promptTokens
        group.summary.completionTokens += row.completionTokens
        group.summary.costUSD += row.costUSD
        if row.unpriced { group.summary.unpricedRequests += 1 }
        group.latencies.append(row.latencyMicroseconds)
        groups[row.key] = group
    }

    /// The summaries, sorted by key.
    package func summaries() -> [UsageSummary] {
        groups.keys.sorted().compactMap { key in
            guard let group = groups[key] else { return nil }
            var summary = group.summary
            let sorted = group.latencies.sorted()
            summary.p50 = Self.nearestRank(50, of: sorted)
            summary.p95 = Self.nearestRank(95, of: sorted)
            summary.p99 = Self.nearestRank(99, of: sorted)
            return summary
        }
    }

    /// The `percent`-th percentile of `sorted` microseconds by the nearest-rank method.
    package static func nearestRank(_ percent: Int, of sorted: [Int64]) -> Duration {
        guard !sorted.isEmpty else { return .zero }
        let rank = max(1, (percent * sorted.count + 99) / 100)
        return .microseconds(sorted[min(rank, sorted.count) - 1])
    }
}
