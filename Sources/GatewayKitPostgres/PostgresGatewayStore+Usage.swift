public import GatewayKit
import Logging
import PostgresNIO

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension PostgresGatewayStore: UsageStore {
    /// Keeps a batch of usage records in `gatewaykit_usage_records`, in one transaction (no change
    /// notification: usage is not configuration).
    /// - Parameter records: the batch.
    /// - Throws: `GatewayError` `storageUnavailable`; `conflict` when a record's id is already stored.
    public func record(_ records: [UsageRecord]) async throws {
        guard !records.isEmpty else { return }
        let logger = self.logger
        try await transaction("recording \(records.count) usage records", notifying: nil) { connection in
            for record in records {
                try await connection.query(
                    """
                    INSERT INTO gatewaykit_usage_records (
                        id, time, endpoint, served_by, provider, model, token_id, role, prompt_tokens,
                        completion_tokens, cost_usd, unpriced, latency_us, overhead_us, fallback, status, stream
                    ) VALUES (
                        \(record.id), \(record.time), \(record.endpoint.rawValue), \(record.servedBy?.rawValue),
                        \(record.provider?.rawValue), \(record.model?.description), \(record.tokenID?.rawValue),
                        \(record.role.rawValue), \(record.promptTokens), \(record.completionTokens),
                        \(record.costUSD.description)::numeric, \(record.unpriced), \(record.latency.microseconds),
                        \(record.overhead.microseconds), \(record.usedFallback), \(record.status.rawValue),
                        \(record.stream)
                    )
                    """,
                    logger: logger)
            }
        }
    }

    /// Aggregates the records `query` selects in SQL; percentiles are nearest-rank
    /// (`percentile_disc`).
    /// - Parameter query: the filter and grouping.
    /// - Returns: one summary per key, sorted by key.
    /// - Throws: `GatewayError` `storageUnavailable`; `internal` when a row cannot be read.
    public func summary(_ query: UsageQuery) async throws -> [UsageSummary] {
        let sql = Self.summaryQuery(query)
        let logger = self.logger
        return try await perform("summarizing usage", attempts: 3) { connection in
            var summaries: [UsageSummary] = []
            let rows = try await connection.query(sql, logger: logger)
            for try await row in rows.decode(
                (String, Int, Int, Int, Int, String, Int, Int64, Int64, Int64).self
            ) {
                summaries.append(
                    UsageSummary(
                        key: row.0, requests: row.1, errors: row.2, promptTokens: row.3, completionTokens: row.4,
                        costUSD: Decimal(string: row.5) ?? 0, unpricedRequests: row.6, p50: .microseconds(row.7),
                        p95: .microseconds(row.8), p99: .microseconds(row.9)
                    )
                )
            }
            return summaries
        }
    }

    /// Deletes the records before `cutoff`.
    /// - Parameter cutoff: the oldest time kept.
    /// - Returns: how many were deleted.
    /// - Throws: `GatewayError` `storageUnavailable`.
    public func deleteUsage(before cutoff: Date) async throws -> Int {
        let logger = self.logger
        return try await perform("deleting old usage records") { connection in
            let rows = try await connection.query(
                "WITH deleted AS (DELETE FROM gatewaykit_usage_records WHERE time < \(cutoff) RETURNING 1) SELECT count(*)::bigint FROM deleted",
                logger: logger)
            var count = 0
            for try await value in rows.decode(Int.self) { count = value }
            return count
        }
    }

    static func summaryQuery(_ query: UsageQuery) -> PostgresQuery {
        var binds = PostgresBindings()
        var conditions: [String] = []
        if let endpoint = query.endpoint {
            binds.append(endpoint.rawValue)
            conditions.append("endpoint = $\(binds.count)")
        }
        if let from = query.from {
            binds.append(from)
            conditions.append("time >= $\(binds.count)")
        }
        if let to = query.to {
            binds.append(to)
            conditions.append("time < $\(binds.count)")
        }
        let key = query.groupBy == .endpoint ? "endpoint" : "COALESCE(model, '')"
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return PostgresQuery(
            unsafeSQL: """
                SELECT \(key) AS key, count(*)::bigint, (count(*) FILTER (WHERE status <> 'ok'))::bigint,
                    sum(prompt_tokens)::bigint, sum(completion_tokens)::bigint, sum(cost_usd)::text,
                    (count(*) FILTER (WHERE unpriced))::bigint,
                    percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_us),
                    percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_us),
                    percentile_disc(0.99) WITHIN GROUP (ORDER BY latency_us)
                FROM gatewaykit_usage_records \(filter)
                GROUP BY 1 ORDER BY 1
                """,
            binds: binds
        )
    }
}
