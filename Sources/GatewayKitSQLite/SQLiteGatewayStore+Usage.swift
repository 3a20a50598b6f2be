import GRDB
public import GatewayKit

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension SQLiteGatewayStore: UsageStore {
    /// Keeps a batch of usage records in the `usage_records` table, in one transaction. Costs are
    /// kept as exact decimal text, latencies in microseconds.
    /// - Parameter records: the batch.
    /// - Throws: `GatewayError` `storageUnavailable`; `conflict` when a record's id is already stored.
    public func record(_ records: [UsageRecord]) async throws {
        guard !records.isEmpty else { return }
        try await write("recording \(records.count) usage records", reporting: nil) { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO usage_records (
                        id, time, endpoint, served_by, provider, model, token_id, role, prompt_tokens,
                        completion_tokens, cost_usd, unpriced, latency_us, overhead_us, fallback, status, stream
                    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for record in records {
                let values: [(any DatabaseValueConvertible)?] = [
                    record.id.uuidString, record.time.timeIntervalSince1970, record.endpoint.rawValue,
                    record.servedBy?.rawValue, record.provider?.rawValue, record.model?.description,
                    record.tokenID?.rawValue, record.role.rawValue, record.promptTokens, record.completionTokens,
                    record.costUSD.description, record.unpriced, record.latency.microseconds,
                    record.overhead.microseconds, record.usedFallback, record.status.rawValue, record.stream,
                ]
                try statement.execute(arguments: StatementArguments(values))
            }
        }
    }

    /// Aggregates the records `query` selects: the rows are read with the index on time (and
    /// endpoint), and added up in Swift with nearest-rank percentiles.
    /// - Parameter query: the filter and grouping.
    /// - Returns: one summary per key, sorted by key.
    /// - Throws: `GatewayError` `storageUnavailable`.
    public func summary(_ query: UsageQuery) async throws -> [UsageSummary] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let endpoint = query.endpoint {
            conditions.append("endpoint = ?")
            arguments.append(endpoint.rawValue)
        }
        if let from = query.from {
            conditions.append("time >= ?")
            arguments.append(from.timeIntervalSince1970)
        }
        if let to = query.to {
            conditions.append("time < ?")
            arguments.append(to.timeIntervalSince1970)
        }
        let keyColumn = query.groupBy == .endpoint ? "endpoint" : "COALESCE(model, '')"
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = """
            SELECT \(keyColumn) AS key, status, prompt_tokens, completion_tokens, cost_usd, unpriced, latency_us
            FROM usage_records\(filter)
            """
        let statementArguments = StatementArguments(arguments)
        return try await read("summarizing usage") { db in
            var aggregator = UsageAggregator()
            let rows = try Row.fetchCursor(db, sql: sql, arguments: statementArguments)
            while let row = try rows.next() {
                let costText: String = row["cost_usd"]
                let status: String = row["status"]
                aggregator.add(
                    UsageAggregator.Row(
                        key: row["key"], isError: UsageRecord.Status(rawValue: status).isError,
                        promptTokens: row["prompt_tokens"], completionTokens: row["completion_tokens"],
                        costUSD: Decimal(string: costText) ?? 0, unpriced: row["unpriced"],
                        latencyMicroseconds: row["latency_us"]
                    )
                )
            }
            return aggregator.summaries()
        }
    }

    /// Deletes the records before `cutoff`.
    /// - Parameter cutoff: the oldest time kept.
    /// - Returns: how many were deleted.
    /// - Throws: `GatewayError` `storageUnavailable`.
    public func deleteUsage(before cutoff: Date) async throws -> Int {
        let seconds = cutoff.timeIntervalSince1970
        do {
            return try await database.write { db in
                try db.execute(sql: "DELETE FROM usage_records WHERE time < ?", arguments: [seconds])
                return db.changesCount
            }
        } catch {
            throw Self.storageError(error, "deleting old usage records")
        }
    }
}
