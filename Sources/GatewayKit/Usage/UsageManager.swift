import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads what requests used and cost, and writes buffered usage records (see ``UsageAccounting``).
///
/// ```swift
/// let rows = try await gateway.usage.summary(.init(from: yesterday, groupBy: .model), by: caller)
/// ```
public struct UsageManager: Sendable {
    let buffer: UsageBuffer?
    let logger: Logger
    let now: @Sendable () -> Date

    /// Whether the gateway keeps usage it can read back: its sink is a ``UsageStore``.
    public var isReadable: Bool { store != nil }

    var store: (any UsageStore)? { buffer?.settings.sink as? any UsageStore }

    /// Aggregates the stored usage `query` selects, after writing the records still buffered.
    /// - Parameters:
    ///   - query: the endpoint, time range and grouping.
    ///   - caller: who asks; Admins and Auditors may read usage.
    /// - Returns: one summary per endpoint or model, sorted by key.
    /// - Throws: `GatewayError` `forbidden` for other roles; `notFound` when the gateway keeps no
    ///   usage store; `storageUnavailable`.
    public func summary(_ query: UsageQuery, by caller: Caller) async throws -> [UsageSummary] {
        try caller.require(.readUsage)
        guard let store else {
            throw GatewayError.notFound("this gateway keeps no usage records; configure a usage store")
        }
        await flush()
        return try await store.summary(query)
    }

    /// Writes every buffered record to the sink now, in batches. A failed batch is logged and dropped.
    public func flush() async {
        guard let buffer, let sink = buffer.settings.sink else { return }
        let dropped = buffer.takeDropped()
        if dropped > 0 {
            logger.info(
                "usage records dropped: the buffer was full",
                metadata: [
                    "gateway.usage.dropped": "\(dropped)",
                    "gateway.usage.capacity": "\(buffer.settings.maxBufferedRecords)",
                ]
            )
        }
        while true {
            let batch = buffer.drain(upTo: buffer.settings.batchSize)
            guard !batch.isEmpty else { return }
            do {
                try await sink.record(batch)
            } catch {
                logger.info(
                    "writing usage records failed",
                    metadata: ["gateway.usage.records": "\(batch.count)", "gateway.error": "\(error)"]
                )
                return
            }
        }
    }

    /// Deletes stored records older than the retention; does nothing without a store or retention.
    func prune() async {
        guard let store, let retention = buffer?.settings.retention else { return }
        let cutoff = now().addingTimeInterval(-Double(retention.components.seconds))
        do {
            let deleted = try await store.deleteUsage(before: cutoff)
            if deleted > 0 {
                logger.debug("old usage records deleted", metadata: ["gateway.usage.deleted": "\(deleted)"])
            }
        } catch {
            logger.info("deleting old usage records failed", metadata: ["gateway.error": "\(error)"])
        }
    }

    /// Writes buffered records every flush interval or when a batch is full, and prunes old
    /// records every prune interval, until cancelled.
    func run() async {
        guard let buffer, buffer.settings.sink != nil else { return }
        let settings = buffer.settings
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: settings.flushInterval)
                    buffer.wake()
                }
            }
            group.addTask {
                await prune()
                var lastPrune = ContinuousClock.now
                for await _ in buffer.batchReady {
                    await flush()
                    if lastPrune.duration(to: .now) >= settings.pruneInterval {
                        await prune()
                        lastPrune = .now
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
