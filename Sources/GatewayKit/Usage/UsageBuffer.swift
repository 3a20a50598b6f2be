import Metrics
import Synchronization

/// The records waiting to be written: appended on the request path under a lock, drained by
/// `Gateway.run()`. Never blocks and never grows past its capacity.
final class UsageBuffer: Sendable {
    private struct State {
        var records: [UsageRecord] = []
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

    /// Adds a record, or drops it when the buffer is full.
    func append(_ record: UsageRecord) {
        let capacity = settings.maxBufferedRecords
        let count: Int? = state.withLock { state in
            guard state.records.count < capacity else {
                state.dropped += 1
                return nil
            }
            state.records.append(record)
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

    /// Removes and returns up to `limit` of the oldest records.
    func drain(upTo limit: Int) -> [UsageRecord] {
        state.withLock { state in
            if state.records.count <= limit {
                defer { state.records = [] }
                return state.records
            }
            let batch = Array(state.records.prefix(limit))
            state.records.removeFirst(batch.count)
            return batch
        }
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
