import GatewayKit
import Synchronization

// The streams handed out by PostgresGatewayStore.changes(); the listener yields into all of them.
final class ChangeSubscribers: Sendable {
    private struct State {
        var streams: [Int: AsyncStream<StoreChange>.Continuation] = [:]
        var nextID = 0
        var finished = false
    }

    private let state = Mutex(State())

    func subscribe() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: StoreChange.self, bufferingPolicy: .bufferingNewest(256))
        let id = state.withLock { state -> Int? in
            guard !state.finished else { return nil }
            state.nextID += 1
            state.streams[state.nextID] = continuation
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.streams.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(_ change: StoreChange) {
        let streams = state.withLock { Array($0.streams.values) }
        for stream in streams { stream.yield(change) }
    }

    // Ends every stream; later subscribers get a stream that ends at once.
    func finishAll() {
        let streams = state.withLock { state in
            state.finished = true
            defer { state.streams = [:] }
            return Array(state.streams.values)
        }
        for stream in streams { stream.finish() }
    }
}
