import GatewayKit
import Synchronization
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A reload racing this gateway's own write must not drop the write from the snapshot.
@Suite struct ConfigWriterReloadTests {
    /// Opens once; everyone waiting, and everyone who comes later, goes on.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { continuation in
                let goOn = state.withLock { state -> Bool in
                    if state.open { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if goOn { continuation.resume() }
            }
        }

        func open() {
            let waiters = state.withLock { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    /// An in-memory store whose endpoint inserts and loads can be held: a held load reads the
    /// store when it is called and answers only when its gate opens, as a slow database would.
    final class HeldStore: ForwardingGatewayStore {
        let base = InMemoryGatewayStore()
        let insertEntered = Gate()
        let insertGate = Gate()
        let loadGate = Mutex<Gate?>(nil)

        func load() async throws -> StoreContents {
            let contents = try await base.load()
            if let gate = loadGate.withLock({ $0 }) { await gate.wait() }
            return contents
        }
        func insertEndpoint(_ endpoint: Endpoint) async throws {
            insertEntered.open()
            await insertGate.wait()
            try await base.insertEndpoint(endpoint)
        }
    }

    @Test("a reload asked for while this gateway's write is in flight keeps that write")
    func reloadDuringWrite() async throws {
        let store = HeldStore()
        let gateway = try await Gateway(store: store, masterKey: "a-master-key-of-at-least-32-characters")
        let loads = Gate()
        store.loadGate.withLock { $0 = loads }

        let write = Task { try await gateway.endpoints.create(.init(name: "Kept", model: "mock/echo"), by: .admin) }
        await store.insertEntered.wait()
        // The reload starts while the insert is held: a load now would read the store without it.
        let reload = Task { try await gateway.reload() }
        try await Task.sleep(for: .milliseconds(100))
        store.insertGate.open()
        _ = try await write.value
        loads.open()
        try await reload.value

        #expect(try gateway.endpoints.get("kept", by: .admin).endpoint.name == "Kept")
    }
}
