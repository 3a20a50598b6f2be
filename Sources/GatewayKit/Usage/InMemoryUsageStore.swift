import Synchronization

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A ``UsageStore`` that keeps records in memory, for tests and throwaway gateways.
public final class InMemoryUsageStore: UsageStore {
    private let stored = Mutex<[UsageRecord]>([])

    /// Creates an empty store.
    public init() {}

    /// Every record kept, in the order they were recorded.
    public var records: [UsageRecord] {
        stored.withLock { $0 }
    }

    /// Keeps `records`.
    /// - Parameter records: the batch.
    /// - Throws: nothing; the signature is the protocol's.
    public func record(_ records: [UsageRecord]) async throws {
        stored.withLock { $0.append(contentsOf: records) }
    }

    /// Aggregates the records `query` selects.
    /// - Parameter query: the filter and grouping.
    /// - Returns: one summary per key, sorted by key.
    /// - Throws: nothing; the signature is the protocol's.
    public func summary(_ query: UsageQuery) async throws -> [UsageSummary] {
        let records = self.records
        var aggregator = UsageAggregator()
        for record in records where query.selects(record) {
            aggregator.add(UsageAggregator.Row(record, query: query))
        }
        return aggregator.summaries()
    }

    /// Deletes the records before `cutoff`.
    /// - Parameter cutoff: the oldest time kept.
    /// - Returns: how many were deleted.
    /// - Throws: nothing; the signature is the protocol's.
    public func deleteUsage(before cutoff: Date) async throws -> Int {
        stored.withLock { records in
            let before = records.count
            records.removeAll { $0.time < cutoff }
            return before - records.count
        }
    }
}
