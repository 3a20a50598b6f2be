import GatewayKit
import GatewayKitTesting
import Testing

@Suite struct LiveConfigurationTests {
    @Test("a gateway running as a service picks up another instance's writes")
    func changeFeed() async throws {
        let store = InMemoryGatewayStore()
        let writer = try await makeGateway(store: store)
        let reader = try await makeGateway(store: store)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await reader.run() }
            try await writer.endpoints.create(.init(name: "shared", model: "mock/fixed:one"), by: .admin)
            try await eventually { (try? await reader.router.complete(slug: "shared", request: .user("x"), as: .admin).text) == "one" }
            try await writer.endpoints.update("shared", by: .admin) { $0.model = "mock/fixed:two" }
            try await eventually { (try? await reader.router.complete(slug: "shared", request: .user("x"), as: .admin).text) == "two" }
            try await writer.endpoints.delete("shared", by: .admin)
            try await eventually { reader.endpoints.list(by: .admin).isEmpty }
            group.cancelAll()
        }
    }

    @Test("two instances editing the same version: one wins, the other gets a conflict")
    func crossInstanceConflict() async throws {
        let store = InMemoryGatewayStore()
        let first = try await makeGateway(store: store)
        try await first.endpoints.create(.init(name: "e", model: "mock/echo"), by: .admin)
        let second = try await makeGateway(store: store)
        try await first.endpoints.update("e", expectedVersion: 1, by: .admin) { $0.temperature = 0.1 }
        let error = await gatewayError { try await second.endpoints.update("e", expectedVersion: 1, by: .admin) { $0.temperature = 0.9 } }
        #expect(error?.code == .conflict)
        let stored = try await store.load().endpoints.first
        #expect(stored?.temperature == 0.1)
        #expect(stored?.version == 2)
    }

    @Test("a store written under another master key fails to open, naming the keys")
    func wrongMasterKey() async throws {
        let store = InMemoryGatewayStore()
        let gateway = try await makeGateway(store: store)
        try await gateway.keys.create(.init(name: "OpenAI prod", provider: .mock, secret: "sk-0123456789"), by: .admin)
        let error = await gatewayError {
            _ = try await Gateway(store: store, masterKey: String(repeating: "z", count: 40))
        }
        #expect(error?.message.contains("'OpenAI prod'") == true)
    }
}

/// Waits until `condition` holds, checking every 20 ms for at most `seconds`.
func eventually(seconds: Double = 2, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("condition not met within \(seconds) s")
}
