import GatewayKit
import GatewayKitTesting
import Testing

@Suite struct RouterStreamingTests {
    @Test("streams word by word; the first chunk names the endpoint")
    func stream() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "echo", model: "mock/echo"), by: .admin)
        var text = ""
        var first: ChatChunk?
        var sawUsage = false
        for try await chunk in gateway.router.stream(slug: "echo", request: .user("one two three"), as: .admin) {
            if first == nil { first = chunk }
            text += chunk.text
            if chunk.usage != nil { sawUsage = true }
        }
        #expect(text == "one two three")
        #expect(first?.servedBy?.endpoint == "echo")
        #expect(sawUsage)
    }

    @Test("falls back when the failure comes before the first chunk")
    func fallbackBeforeFirstChunk() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "backup", model: "mock/fixed:saved"), by: .admin)
        try await gateway.endpoints.create(.init(name: "main", model: "mock/error:503", fallbacks: ["backup"]), by: .admin)
        var chunks: [ChatChunk] = []
        for try await chunk in gateway.router.stream(slug: "main", request: .user("x"), as: .admin) { chunks.append(chunk) }
        #expect(chunks.map(\.text).joined() == "saved")
        #expect(chunks.first?.servedBy?.usedFallback == true)
        #expect(chunks.first?.servedBy?.attempts.map(\.endpoint) == ["main", "backup"])
    }

    @Test("a failure after the first chunk ends the stream with a typed error, not a clean end")
    func midStreamFailure() async throws {
        var providers = ProviderRegistry.standard
        providers.register(BreakingProvider(), for: "breaking")
        let gateway = try await Gateway(store: InMemoryGatewayStore(), masterKey: testMasterKey, configuration: .init(providers: providers))
        try await gateway.endpoints.create(.init(name: "backup", model: "mock/echo"), by: .admin)
        try await gateway.endpoints.create(.init(name: "main", model: "breaking/x", fallbacks: ["backup"]), by: .admin)
        var received: [String] = []
        let error = await gatewayError {
            for try await chunk in gateway.router.stream(slug: "main", request: .user("x"), as: .admin) { received.append(chunk.text) }
        }
        #expect(received == ["one ", "two "])
        #expect(error?.code == .upstream)
        #expect(error?.message.contains("after it began") == true)
    }

    @Test("a rate-limited stream fails before any chunk")
    func rateLimited() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "once", model: "mock/echo", rateLimitRPM: 1), by: .admin)
        for try await _ in gateway.router.stream(slug: "once", request: .user("a"), as: .admin) {}
        let error = await gatewayError { for try await _ in gateway.router.stream(slug: "once", request: .user("b"), as: .admin) {} }
        #expect(error?.code == .rateLimited)
    }
}

/// Streams two chunks, then fails like a dropped connection.
struct BreakingProvider: InProcessProvider {
    func complete(_ request: ChatRequest, for call: ProviderCall) async throws -> ChatResponse {
        throw GatewayError(.upstream, "broken")
    }

    func stream(_ request: ChatRequest, for call: ProviderCall) async throws -> any AsyncSequence<ChatChunk, any Error> & Sendable {
        AsyncThrowingStream { continuation in
            continuation.yield(ChatChunk(id: "b", created: 0, model: "x", choices: [.init(delta: .init(content: "one "))]))
            continuation.yield(ChatChunk(id: "b", created: 0, model: "x", choices: [.init(delta: .init(content: "two "))]))
            continuation.finish(throwing: GatewayError(.upstream, "connection reset"))
        }
    }
}
