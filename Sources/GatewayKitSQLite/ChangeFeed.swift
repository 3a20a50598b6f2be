import GRDB
import GatewayKit
import Synchronization

// The listeners of one SQLiteGatewayStore: this store's writes are published directly; other
// connections' writes are found by one poll task, which runs only while someone listens.
final class ChangeFeed: Sendable {
    private struct State {
        var watchers: [Int: AsyncStream<StoreChange>.Continuation] = [:]
        var nextID = 0
        var poller: Task<Void, Never>?
        // The writer connection's last `PRAGMA data_version`; nil after a failed read.
        var dataVersion: Int?
        var finished = false
    }

    private let state: Mutex<State>
    private let database: any DatabaseWriter
    private let pollInterval: Duration
    private let watchesOtherConnections: Bool

    // `baseline` nil: the database is private to this store (in memory), so nothing is polled.
    init(database: any DatabaseWriter, pollInterval: Duration, baseline: Int?) {
        self.database = database
        self.pollInterval = pollInterval
        self.watchesOtherConnections = baseline != nil
        self.state = Mutex(State(dataVersion: baseline))
    }

    // Whether the poll task runs; for tests that check it is not leaked.
    var isPolling: Bool { state.withLock { $0.poller != nil } }

    func subscribe() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: StoreChange.self, bufferingPolicy: .bufferingNewest(256))
        let id = state.withLock { state -> Int? in
            guard !state.finished else { return nil }
            state.nextID += 1
            state.watchers[state.nextID] = continuation
            if watchesOtherConnections, state.poller == nil {
                state.poller = Task { await self.poll() }
            }
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return stream
    }

    func publish(_ change: StoreChange) {
        let watchers = state.withLock { Array($0.watchers.values) }
        for watcher in watchers { watcher.yield(change) }
    }

    // Ends every stream and the poll task; later subscribers get a stream that ends at once.
    func finishAll() {
        let (watchers, poller) = state.withLock { state in
            state.finished = true
            defer {
                state.watchers = [:]
                state.poller = nil
            }
            return (Array(state.watchers.values), state.poller)
        }
        poller?.cancel()
        for watcher in watchers { watcher.finish() }
    }

    private func unsubscribe(_ id: Int) {
        let poller = state.withLock { state -> Task<Void, Never>? in
            state.watchers[id] = nil
            guard state.watchers.isEmpty else { return nil }
            defer { state.poller = nil }
            return state.poller
        }
        poller?.cancel()
    }

    private func poll() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                return
            }
            let current = try? await database.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA data_version")
            }
            // After a failed read the version is unknown, so the next successful read reports a change.
            let watchers = state.withLock { state -> [AsyncStream<StoreChange>.Continuation] in
                defer { state.dataVersion = current }
                guard let current, current != state.dataVersion else { return [] }
                return Array(state.watchers.values)
            }
            for watcher in watchers { watcher.yield(.everything) }
        }
    }
}
