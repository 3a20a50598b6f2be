import GatewayKit
import Synchronization

// Where a PostgresGatewayStore is in its life: store calls wait until run() has migrated the
// schema and the change feed listens, and fail once run() failed or ended.
final class StoreLifecycle: Sendable {
    enum Phase: Sendable {
        case notStarted
        case starting
        case ready
        case failed(GatewayError)
        case stopped
    }

    private struct State {
        var phase = Phase.notStarted
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    var phase: Phase { state.withLock { $0.phase } }

    // Returns false when run() was already called: PostgresClient runs only once.
    func start() -> Bool {
        state.withLock { state in
            guard case .notStarted = state.phase else { return false }
            state.phase = .starting
            return true
        }
    }

    func markReady() { settle(.ready) }

    func fail(_ error: GatewayError) { settle(.failed(error)) }

    func stop() { settle(.stopped) }

    // Waits until the store is ready; throws at once when it failed or stopped, and on cancellation.
    func waitUntilReady() async throws {
        if let outcome = state.withLock({ Self.outcome(of: $0.phase) }) { return try outcome.get() }
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    if let outcome = Self.outcome(of: state.phase) { return outcome }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private func settle(_ phase: Phase) {
        let (waiters, outcome) = state.withLock {
            state -> ([CheckedContinuation<Void, any Error>], Result<Void, any Error>?) in
            // A failure or stop is final; a later markReady (a late listener) must not undo it.
            switch state.phase {
            case .failed, .stopped: return ([], nil)
            default: break
            }
            state.phase = phase
            guard let outcome = Self.outcome(of: phase) else { return ([], nil) }
            defer { state.waiters = [:] }
            return (Array(state.waiters.values), outcome)
        }
        guard let outcome else { return }
        for waiter in waiters { waiter.resume(with: outcome) }
    }

    private static func outcome(of phase: Phase) -> Result<Void, any Error>? {
        switch phase {
        case .notStarted, .starting: nil
        case .ready: .success(())
        case .failed(let error): .failure(error)
        case .stopped:
            .failure(GatewayError(.storageUnavailable, "the PostgreSQL store has stopped: its run() has returned"))
        }
    }
}
