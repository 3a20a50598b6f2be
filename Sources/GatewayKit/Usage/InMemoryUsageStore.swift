import Synchronization

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A ``UsageStore`` that keeps records in memory, for tests and throwaway gateways.
///
/// It keeps at most ``maximumRecords`` records, the most recent: a gateway on a memory store
/// must not grow by a record per request for as long as its usage retention lasts.
public final class InMemoryUsageStore: UsageStore {
    private let stored = Mutex<[UsageRecord]>([])

    /// The most records kept; the oldest go first.
    public let maximumRecords: Int

    /// The default ``maximumRecords``: 100,000 records, about 25 MiB.
    public static let defaultMaximumRecords = 100_000

    /// Creates an empty store.
    /// - Parameter maximumRecords: the most records kept; the oldest go first.
    public init(maximumRecords: Int = InMemoryUsageStore.defaultMaximumRecords) {
        self.maximumRecords = max(1, maximumRecords)
    }

    /// Every record kept, in the order they were recorded.
    public var records: [UsageRecord] {
        stored.withLock { $0 }
    }

    /// Keeps `records`.
    /// - Parameter records: the batch.
    /// - Throws: nothing; the signature is the protocol's.
    public func record(_ records: [UsageRecord]) async throws {
        let limit = maximumRecords
        stored.withLock { stored in
            stored.append(contentsOf: records)
            // Dropping a tenth more than the excess keeps the shift out of every batch.
            if stored.count > limit {
                stored.removeFirst(min(stored.count, stored.count - limit + limit / 10))
            }
        }
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
