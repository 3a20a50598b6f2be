import Metrics
import Synchronization

/// The records waiting to be written: appended on the request path under a lock, drained by
/// `Gateway.run()`. Never blocks and never grows past its capacity.
final class UsageBuffer: Sendable {
    // A record waits unpriced: the exact decimal cost is computed by the writer, off the request path.
    private struct Pending {
        var record: UsageRecord
        var cachedTokens: Int?
    }

    private struct State {
        var records: [Pending] = []
        var dropped = 0
    }

    private let state = Mutex(State())
    let settings: UsageAccounting
    let pricer: UsagePricer
    /// Yields when a full batch waits, so the writer need not wait for its next tick.
    let batchReady: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    init(settings: UsageAccounting) {
        self.settings = settings
        self.pricer = UsagePricer(catalog: settings.catalog)
        (batchReady, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Adds a record, or drops it when the buffer is full. Its cost is left for ``drain(upTo:)``.
    /// - Parameters:
    ///   - record: the record, its cost not yet set.
    ///   - cachedTokens: the prompt tokens served from the provider's cache, priced apart.
    func append(_ record: UsageRecord, cachedTokens: Int?) {
        let capacity = settings.maxBufferedRecords
        let count: Int? = state.withLock { state in
            guard state.records.count < capacity else {
                state.dropped += 1
                return nil
            }
            state.records.append(Pending(record: record, cachedTokens: cachedTokens))
            return state.records.count
        }
        guard let count else {
            Counter(label: "gatewaykit_usage_dropped_total").increment()
            return
        }
        if count == settings.batchSize { signal.yield() }
    }

    /// Wakes the writer.
    func wake() {
        signal.yield()
    }

    /// Removes up to `limit` of the oldest records and returns them priced: the catalog's cost, or
    /// 0 and `unpriced` when the catalog has no price for the model.
    func drain(upTo limit: Int) -> [UsageRecord] {
        let batch = state.withLock { state -> [Pending] in
            if state.records.count <= limit {
                defer { state.records = [] }
                return state.records
            }
            let batch = Array(state.records.prefix(limit))
            state.records.removeFirst(batch.count)
            return batch
        }
        return batch.map(priced)
    }

    private func priced(_ pending: Pending) -> UsageRecord {
        var record = pending.record
        guard let model = record.model else { return record }
        let usage = Usage(
            promptTokens: record.promptTokens, completionTokens: record.completionTokens,
            cachedTokens: pending.cachedTokens
        )
        if let cost = pricer.cost(of: usage, for: model) {
            record.costUSD = cost
        } else {
            record.unpriced = true
        }
        return record
    }

    /// How many records were dropped since the last call.
    func takeDropped() -> Int {
        state.withLock { state in
            defer { state.dropped = 0 }
            return state.dropped
        }
    }

    var count: Int {
        state.withLock { $0.records.count }
    }
}
