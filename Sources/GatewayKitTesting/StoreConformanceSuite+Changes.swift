import GatewayKit
import Synchronization

extension StoreConformanceSuite.Check {
    /// How long a store may take to report a write.
    static let changeTimeout: Duration = .seconds(5)

    /// Every write through the store is reported by `changes()`.
    static var changes: Self {
        Self("changes() reports every write made through the store") { store, fixtures in
            let collector = ChangeCollector(store.changes())
            defer { collector.stop() }
            let endpoint = fixtures.minimalEndpoint("changes")
            let edited = bumped(endpoint)
            let key = fixtures.minimalKey("changes")
            let editedKey = bumped(key)
            let token = fixtures.token("changes")
            let writes: [(String, StoreChange, @Sendable () async throws -> Void)] = [
                ("insertEndpoint", .endpoint(endpoint.slug), { try await store.insertEndpoint(endpoint) }),
                (
                    "updateEndpoint", .endpoint(endpoint.slug),
                    { try await store.updateEndpoint(edited, expectedVersion: 1) }
                ),
                (
                    "deleteEndpoint", .endpoint(endpoint.slug),
                    { try await store.deleteEndpoint(endpoint.slug, expectedVersion: 2) }
                ),
                ("insertAPIKey", .apiKey(key.key.id), { try await store.insertAPIKey(key) }),
                ("updateAPIKey", .apiKey(key.key.id), { try await store.updateAPIKey(editedKey, expectedVersion: 1) }),
                ("deleteAPIKey", .apiKey(key.key.id), { try await store.deleteAPIKey(key.key.id) }),
                ("insertAccessToken", .accessToken(token.id), { try await store.insertAccessToken(token) }),
                ("deleteAccessToken", .accessToken(token.id), { try await store.deleteAccessToken(token.id) }),
            ]
            for (name, change, write) in writes {
                try await write()
                try await collector.awaitChange(covering: change, after: name)
            }
        }
    }
}

private func bumped(_ endpoint: Endpoint) -> Endpoint {
    var edited = endpoint
    edited.version += 1
    return edited
}

private func bumped(_ key: StoredAPIKey) -> StoredAPIKey {
    var edited = key
    edited.key.version += 1
    return edited
}

// Consumes a change stream in its own task and lets a check wait for a change, one write at a time.
final class ChangeCollector: Sendable {
    private struct State {
        var received: [StoreChange] = []
        var consumed = 0
    }

    private final class Box: Sendable {
        let state = Mutex(State())
    }

    private let box = Box()
    private let consumer: Task<Void, Never>

    init(_ stream: AsyncStream<StoreChange>) {
        let box = self.box
        consumer = Task {
            for await change in stream { box.state.withLock { $0.received.append(change) } }
        }
    }

    func stop() { consumer.cancel() }

    // Waits for a change not yet consumed that names `expected` or is `.everything`, and consumes
    // it and everything before it, so each write needs its own change.
    func awaitChange(covering expected: StoreChange, after write: String) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: StoreConformanceSuite.Check.changeTimeout)
        while true {
            let found = box.state.withLock { state -> Bool in
                let pending = state.received[state.consumed...]
                guard let index = pending.firstIndex(where: { $0 == expected || $0 == .everything }) else {
                    return false
                }
                state.consumed = index + 1
                return true
            }
            if found { return }
            guard clock.now < deadline else {
                let seen = box.state.withLock { Array($0.received) }
                throw Mismatch(
                    "changes() reported nothing for \(write) (expected \(expected)) within "
                        + "\(StoreConformanceSuite.Check.changeTimeout); reported so far: \(seen)"
                )
            }
            try await clock.sleep(for: .milliseconds(10))
        }
    }
}
