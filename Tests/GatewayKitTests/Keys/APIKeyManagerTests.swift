import GatewayKit
import GatewayKitTesting
import Logging
import Synchronization
import Testing

@Suite struct APIKeyManagerTests {
    static let secret = "sk-live-TOPSECRETVALUE-9876"

    @Test("keys are admin-only, listed masked and never with their secret")
    func listingMasksSecrets() async throws {
        let gateway = try await makeGateway()
        let key = try await gateway.keys.create(.init(name: "OpenAI", provider: .openai, secret: Self.secret), by: .admin)
        #expect(key.masked == "sk-…9876")
        let listed = try gateway.keys.list(by: .admin)
        #expect(listed.count == 1)
        #expect(!"\(listed)".contains("TOPSECRET"))
        #expect(!String(reflecting: listed).contains("TOPSECRET"))
        for role in [Role.editor, .reviewer, .auditor] {
            #expect(throws: GatewayError.self) { try gateway.keys.list(by: Caller(role: role)) }
            let error = await gatewayError {
                try await gateway.keys.create(.init(name: "x", provider: .openai, secret: Self.secret), by: Caller(role: role))
            }
            #expect(error?.code == .forbidden)
        }
    }

    @Test("invalid keys name the field")
    func validation() async throws {
        let gateway = try await makeGateway()
        let empty = await gatewayError { try await gateway.keys.create(.init(name: "x", provider: .openai, secret: ""), by: .admin) }
        #expect(empty?.field == "secret")
        let provider = await gatewayError { try await gateway.keys.create(.init(name: "x", provider: "acme", secret: "abc"), by: .admin) }
        #expect(provider?.field == "provider")
        let name = await gatewayError { try await gateway.keys.create(.init(name: " ", provider: .openai, secret: "abc"), by: .admin) }
        #expect(name?.field == "name")
    }

    @Test("a key used by an endpoint cannot be deleted")
    func deletionInUse() async throws {
        let gateway = try await makeGateway()
        let key = try await gateway.keys.create(.init(name: "OpenAI", provider: .openai, secret: Self.secret), by: .admin)
        try await gateway.endpoints.create(.init(name: "e", model: "openai/gpt-4o", apiKeyID: key.id), by: .admin)
        let error = await gatewayError { try await gateway.keys.delete(key.id, by: .admin) }
        #expect(error?.code == .conflict)
        #expect(error?.message.contains("'e'") == true)
        try await gateway.endpoints.delete("e", by: .admin)
        try await gateway.keys.delete(key.id, by: .admin)
        #expect(try gateway.keys.list(by: .admin).isEmpty)
    }

    @Test("the secret never reaches errors or log output")
    func secretsStayOutOfLogs() async throws {
        let recorder = LogRecorder()
        let gateway = try await Gateway(
            store: InMemoryGatewayStore(), masterKey: testMasterKey,
            configuration: .init(logger: Logger(label: "test", factory: { _ in recorder.handler() }))
        )
        let key = try await gateway.keys.create(.init(name: "OpenAI", provider: .openai, secret: Self.secret), by: .admin)
        // Nothing listens on port 9: the call fails, and its error and logs must not show the secret.
        try await gateway.keys.update(key.id, .init(settings: .init(baseURL: "http://127.0.0.1:9/v1")), by: .admin)
        try await gateway.endpoints.create(.init(name: "e", model: "openai/gpt-4o", apiKeyID: key.id, timeout: .seconds(2)), by: .admin)
        let error = await gatewayError { _ = try await gateway.router.complete(slug: "e", request: .user("hi"), as: .admin) }
        let failure = try #require(error)
        #expect(!"\(failure)".contains("TOPSECRET"))
        #expect(!String(reflecting: failure).contains("TOPSECRET"))
        #expect(!recorder.text.contains("TOPSECRET"))
        #expect(!recorder.text.isEmpty, "the failure was logged")
    }

    @Test("rotating the secret bumps the version and keeps the key usable")
    func rotation() async throws {
        let gateway = try await makeGateway()
        let key = try await gateway.keys.create(.init(name: "OpenAI", provider: .openai, secret: Self.secret), by: .admin)
        let rotated = try await gateway.keys.update(key.id, .init(secret: "sk-live-NEWSECRET-5555"), by: .admin)
        #expect(rotated.version == 2)
        #expect(rotated.masked == "sk-…5555")
        let stale = await gatewayError { try await gateway.keys.update(key.id, .init(name: "x"), expectedVersion: 1, by: .admin) }
        #expect(stale?.code == .conflict)
    }
}

/// Collects log lines, metadata included, so tests can search them.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func handler() -> some LogHandler { Handler(recorder: self) }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
        }
    }
}

@Suite struct APIKeyUsageTests {
    @Test("a call marks its key as used; the time shows in listings and reaches the store when the gateway flushes")
    func lastUsed() async throws {
        let store = InMemoryGatewayStore()
        let upstream = try await LocalUpstream.start()
        upstream.setBehaviour(.reply(text: "ok"))
        let gateway = try await makeGateway(store: store)
        let key = try await gateway.keys.create(
            .init(name: "OpenAI", provider: .openai, secret: "sk-used-0123456789", settings: .init(baseURL: upstream.baseURL)),
            by: .admin
        )
        #expect(key.lastUsedAt == nil)
        try await gateway.endpoints.create(.init(name: "e", model: "openai/gpt-4o", apiKeyID: key.id), by: .admin)
        _ = try await gateway.router.complete(slug: "e", request: .user("hi"), as: .admin)
        #expect(try gateway.keys.get(key.id, by: .admin).lastUsedAt != nil)
        #expect(try await store.load().apiKeys.first?.key.lastUsedAt == nil, "nothing written on the request path")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            group.cancelAll()
            try await group.waitForAll()
        }
        #expect(try await store.load().apiKeys.first?.key.lastUsedAt != nil, "flushed when the service stops")
        try await upstream.shutdown()
    }
}
