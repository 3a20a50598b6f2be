import GatewayKit
import GatewayKitTesting
import Testing

/// The router against real OpenAI-format HTTP servers on 127.0.0.1 that fail on command.
@Suite struct RouterHTTPTests {
    /// Two upstreams, a primary endpoint on the first and a fallback on the second.
    struct Fixture {
        let gateway: Gateway
        let primary: LocalUpstream
        let backup: LocalUpstream
        let keyID: APIKey.ID

        static func make(timeout: Duration = .seconds(10)) async throws -> Fixture {
            let primary = try await LocalUpstream.start()
            let backup = try await LocalUpstream.start()
            let gateway = try await makeGateway()
            let key = try await gateway.keys.create(
                .init(name: "primary", provider: .openai, secret: "sk-primary-0123456789", settings: .init(baseURL: primary.baseURL)),
                by: .admin
            )
            let backupKey = try await gateway.keys.create(
                .init(name: "backup", provider: .openai, secret: "sk-backup-0123456789", settings: .init(baseURL: backup.baseURL)),
                by: .admin
            )
            try await gateway.endpoints.create(
                .init(name: "backup", model: "openai/gpt-4o-mini", apiKeyID: backupKey.id), by: .admin
            )
            try await gateway.endpoints.create(
                .init(name: "main", model: "openai/gpt-4o", apiKeyID: key.id, fallbacks: ["backup"], timeout: timeout),
                by: .admin
            )
            return Fixture(gateway: gateway, primary: primary, backup: backup, keyID: key.id)
        }

        func shutdown() async throws {
            try await primary.shutdown()
            try await backup.shutdown()
        }
    }

    enum Trigger: String, CaseIterable, Sendable {
        case serverError, rateLimited, keyRejected, hang, refused
    }

    static func arm(_ upstream: LocalUpstream, _ trigger: Trigger) {
        switch trigger {
        case .serverError: upstream.setBehaviour(.openAIError(500, message: "boom", type: "server_error"))
        case .rateLimited: upstream.setBehaviour(.openAIError(429, message: "slow down", type: "rate_limit_error", code: "rate_limit_exceeded", headers: ["retry-after": "2"]))
        case .keyRejected: upstream.setBehaviour(.openAIError(401, message: "Incorrect API key provided", code: "invalid_api_key"))
        case .hang, .refused: upstream.setBehaviour(.hang)
        }
    }

    static func fixture(for trigger: Trigger) async throws -> Fixture {
        let fixture = try await Fixture.make(timeout: trigger == .hang ? .seconds(1) : .seconds(10))
        arm(fixture.primary, trigger)
        fixture.backup.setBehaviour(.reply(text: "from backup"))
        if trigger == .refused {
            // Nothing listens on port 9 of the loopback interface.
            try await fixture.gateway.keys.update(fixture.keyID, .init(settings: .init(baseURL: "http://127.0.0.1:9/v1")), by: .admin)
        }
        return fixture
    }

    @Test("complete falls back on every retryable failure", arguments: Trigger.allCases)
    func completeFallback(trigger: Trigger) async throws {
        let fixture = try await Self.fixture(for: trigger)
        let reply = try await fixture.gateway.router.complete(slug: "main", request: .user("hi"), as: .admin)
        #expect(reply.text == "from backup")
        #expect(reply.servedBy?.endpoint == "backup")
        #expect(reply.servedBy?.usedFallback == true)
        #expect(reply.servedBy?.attempts.count == 2)
        try await fixture.shutdown()
    }

    @Test("stream falls back on every failure before its first chunk", arguments: Trigger.allCases)
    func streamFallback(trigger: Trigger) async throws {
        let fixture = try await Self.fixture(for: trigger)
        fixture.backup.setBehaviour(.stream(chunks: ["from ", "backup"]))
        var text = ""
        var first: ChatChunk?
        for try await chunk in fixture.gateway.router.stream(slug: "main", request: .user("hi"), as: .admin) {
            if first == nil { first = chunk }
            text += chunk.text
        }
        #expect(text == "from backup")
        #expect(first?.servedBy?.endpoint == "backup")
        try await fixture.shutdown()
    }

    @Test("the caller's own 400 fails at once with the provider's message and never reaches the fallback")
    func noFallbackOn400() async throws {
        let fixture = try await Fixture.make()
        fixture.primary.setBehaviour(.openAIError(400, message: "This model's maximum context length is 128000 tokens", code: "context_length_exceeded"))
        fixture.backup.setBehaviour(.reply(text: "never"))
        let error = await gatewayError { _ = try await fixture.gateway.router.complete(slug: "main", request: .user("hi"), as: .admin) }
        #expect(error?.code == .upstreamRejected)
        #expect(error?.message.contains("maximum context length") == true)
        #expect(fixture.backup.requests.isEmpty)
        try await fixture.shutdown()
    }

    @Test("a stream dropped after two chunks ends with a typed error")
    func droppedStream() async throws {
        let fixture = try await Fixture.make()
        fixture.primary.setBehaviour(.streamThenDrop(chunks: 2))
        var chunks = 0
        let error = await gatewayError {
            for try await _ in fixture.gateway.router.stream(slug: "main", request: .user("hi"), as: .admin) { chunks += 1 }
        }
        #expect(chunks >= 2)
        #expect(error?.code == .upstream)
        #expect(fixture.backup.requests.isEmpty, "no fallback after the first chunk")
        try await fixture.shutdown()
    }

    @Test("what the provider receives: credential, model, defaults; a rotated key applies to the next request")
    func upstreamRequest() async throws {
        let fixture = try await Fixture.make()
        fixture.primary.setBehaviour(.reply(text: "ok"))
        try await fixture.gateway.endpoints.update("main", by: .admin) {
            $0.systemPrompt = "Be terse."
            $0.maxTokens = 64
        }
        _ = try await fixture.gateway.router.complete(slug: "main", request: .user("hi"), as: .admin)
        try await fixture.gateway.keys.update(fixture.keyID, .init(secret: "sk-rotated-0123456789"), by: .admin)
        _ = try await fixture.gateway.router.complete(slug: "main", request: .user("again"), as: .admin)
        let seen = fixture.primary.requests
        #expect(seen.count == 2)
        #expect(seen[0].header("authorization") == "Bearer sk-primary-0123456789")
        #expect(seen[1].header("authorization") == "Bearer sk-rotated-0123456789")
        let body = try #require(seen[0].json)
        #expect(body["model"] == .string("gpt-4o"))
        #expect(body["max_completion_tokens"] == .int(64))
        #expect(body["messages"]?.arrayValue?.first?["content"] == .string("Be terse."))
        try await fixture.shutdown()
    }

    @Test("a chain of three over HTTP")
    func chainOfThree() async throws {
        let fixture = try await Fixture.make()
        let third = try await LocalUpstream.start()
        third.setBehaviour(.reply(text: "third"))
        fixture.primary.setBehaviour(.openAIError(503, message: "overloaded", type: "server_error"))
        fixture.backup.setBehaviour(.openAIError(500, message: "down", type: "server_error"))
        let key = try await fixture.gateway.keys.create(
            .init(name: "third", provider: .openai, secret: "sk-third-0123456789", settings: .init(baseURL: third.baseURL)), by: .admin
        )
        try await fixture.gateway.endpoints.create(.init(name: "third", model: "openai/gpt-4o", apiKeyID: key.id), by: .admin)
        try await fixture.gateway.endpoints.update("backup", by: .admin) { $0.fallbacks = ["third"] }
        let reply = try await fixture.gateway.router.complete(slug: "main", request: .user("hi"), as: .admin)
        #expect(reply.text == "third")
        #expect(reply.servedBy?.attempts.map(\.endpoint) == ["main", "backup", "third"])
        try await third.shutdown()
        try await fixture.shutdown()
    }

    @Test("stopping a stream closes the upstream connection")
    func cancellation() async throws {
        let fixture = try await Fixture.make()
        fixture.primary.setBehaviour(.slowStream(chunks: Array(repeating: "x ", count: 50), interval: .milliseconds(100)))
        for try await _ in fixture.gateway.router.stream(slug: "main", request: .user("hi"), as: .admin) { break }
        #expect(await fixture.primary.waitForConnectionClose())
        try await fixture.shutdown()
    }
}
