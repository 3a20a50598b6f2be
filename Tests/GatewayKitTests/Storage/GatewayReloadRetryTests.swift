import GatewayKit
import Synchronization
import Testing

/// A reload that fails (the database restarting, a dropped connection) must not leave a gateway
/// behind the store until some later change happens to come.
@Suite struct GatewayReloadRetryTests {
    /// An in-memory store whose next `failures` loads fail as an unreachable database's would.
    final class FailingLoadStore: ForwardingGatewayStore {
        let base: InMemoryGatewayStore
        let failures = Mutex(0)
        let failedLoads = Mutex(0)

        init(base: InMemoryGatewayStore) { self.base = base }

        func load() async throws -> StoreContents {
            let fails = failures.withLock { remaining in
                guard remaining > 0 else { return false }
                remaining -= 1
                return true
            }
            if fails {
                failedLoads.withLock { $0 += 1 }
                throw GatewayError(.storageUnavailable, "the test database is down")
            }
            return try await base.load()
        }
    }

    @Test("a change whose reload fails reaches the gateway once the store answers again")
    func failedReloadIsRetried() async throws {
        let shared = InMemoryGatewayStore()
        let masterKey = "a-master-key-of-at-least-32-characters"
        let writer = try await Gateway(store: shared, masterKey: masterKey)
        let store = FailingLoadStore(base: shared)
        let reader = try await Gateway(store: store, masterKey: masterKey)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await reader.run() }
            defer { group.cancelAll() }

            store.failures.withLock { $0 = 2 }
            try await writer.endpoints.create(.init(name: "Late", slug: "late", model: "mock/echo"), by: .admin)
            try await eventually(seconds: 5) { (try? reader.endpoints.get("late", by: .admin)) != nil }
            // Seen because the reload was tried again, not because a later load came by chance.
            #expect(store.failedLoads.withLock { $0 } == 2)
        }
    }
}
