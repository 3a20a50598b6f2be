import GatewayKit
import Testing

/// Through the router and the real HTTP transport, against a local server speaking the Messages API.
@Suite struct AnthropicEndToEndTests {
    typealias F = AnthropicFixtures

    static let answer = """
        {"id":"msg_01XYZ","type":"message","role":"assistant","model":"claude-sonnet-4-5",
         "content":[{"type":"text","text":"Bonjour!"}],"stop_reason":"end_turn",
         "usage":{"input_tokens":12,"output_tokens":3}}
        """

    static let overloaded = ScriptedHTTPServer.Reply.json(
        529, #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
    )

    /// A gateway with an `anthropic/claude-sonnet-4-5` endpoint `claude` on `server`, falling back
    /// to `mock/fixed:from backup` when `fallback` is set.
    static func gateway(_ server: ScriptedHTTPServer, fallback: Bool = false) async throws -> Gateway {
        let gateway = try await makeGateway()
        let key = try await gateway.keys.create(
            .init(name: "Anthropic", provider: .anthropic, secret: F.secret, settings: .init(baseURL: server.origin)),
            by: .admin
        )
        if fallback {
            try await gateway.endpoints.create(.init(name: "backup", model: "mock/fixed:from backup"), by: .admin)
        }
        try await gateway.endpoints.create(
            .init(
                name: "claude", model: "anthropic/claude-sonnet-4-5", apiKeyID: key.id, maxTokens: 300,
                fallbacks: fallback ? ["backup"] : []
            ),
            by: .admin
        )
        return gateway
    }

    @Test("completes through the router against a Messages API server")
    func complete() async throws {
        let server = try await ScriptedHTTPServer.start(reply: .json(200, Self.answer))
        defer { Task { try await server.shutdown() } }
        let gateway = try await Self.gateway(server)
        let reply = try await gateway.router.complete(
            slug: "claude", request: ChatRequest(messages: [.system("Be French."), .user("Hello")]), as: .admin
        )
        #expect(reply.text == "Bonjour!")
        #expect(reply.usage == Usage(promptTokens: 12, completionTokens: 3))
        #expect(reply.servedBy?.model.description == "anthropic/claude-sonnet-4-5")
        let sent = try #require(server.requests.first)
        #expect(sent.method == "POST")
        #expect(sent.uri == "/v1/messages")
        #expect(sent.headers["x-api-key"] == F.secret)
        #expect(sent.headers["anthropic-version"] == "2023-06-01")
        let body = try #require(sent.json)
        #expect(body["model"] == .string("claude-sonnet-4-5"))
        #expect(body["system"] == .string("Be French."))
        #expect(body["max_tokens"] == .int(300))
        #expect(body["messages"] == .array([.object(["role": .string("user"), "content": .string("Hello")])]))
    }

    @Test("streams through the router against a Messages API server")
    func stream() async throws {
        let server = try await ScriptedHTTPServer.start(reply: .sse(F.textStream(["Bon", "jour", "!"])))
        defer { Task { try await server.shutdown() } }
        let gateway = try await Self.gateway(server)
        var chunks: [ChatChunk] = []
        for try await chunk in gateway.router.stream(slug: "claude", request: .user("Hello"), as: .admin) {
            chunks.append(chunk)
        }
        #expect(chunks.map(\.text).joined() == "Bonjour!")
        #expect(chunks.first?.servedBy?.endpoint == "claude")
        #expect(chunks.last?.choices.first?.finishReason == .stop)
        #expect(chunks.last?.usage == Usage(promptTokens: 12, completionTokens: 3))
        #expect(try #require(server.requests.first?.json)["stream"] == .bool(true))
    }

    @Test("an overloaded Anthropic (529) falls back to the next endpoint when completing")
    func fallbackComplete() async throws {
        let server = try await ScriptedHTTPServer.start(reply: Self.overloaded)
        defer { Task { try await server.shutdown() } }
        let gateway = try await Self.gateway(server, fallback: true)
        let reply = try await gateway.router.complete(slug: "claude", request: .user("Hello"), as: .admin)
        #expect(reply.text == "from backup")
        let served = try #require(reply.servedBy)
        #expect(served.usedFallback)
        #expect(served.attempts.map(\.endpoint) == ["claude", "backup"])
        #expect(served.attempts.first?.outcome == .failure(code: .upstreamRateLimited, failureClass: .rateLimit, status: 529))
        #expect(server.requests.count == 1)
    }

    @Test("an overloaded Anthropic (529) falls back to the next endpoint when streaming")
    func fallbackStream() async throws {
        let server = try await ScriptedHTTPServer.start(reply: Self.overloaded)
        defer { Task { try await server.shutdown() } }
        let gateway = try await Self.gateway(server, fallback: true)
        var chunks: [ChatChunk] = []
        for try await chunk in gateway.router.stream(slug: "claude", request: .user("Hello"), as: .admin) {
            chunks.append(chunk)
        }
        #expect(chunks.map(\.text).joined() == "from backup")
        let served = try #require(chunks.first?.servedBy)
        #expect(served.attempts.map(\.endpoint) == ["claude", "backup"])
        #expect(served.attempts.first?.outcome == .failure(code: .upstreamRateLimited, failureClass: .rateLimit, status: 529))
    }

    @Test("an overloaded error inside a 200 stream, before any content, also falls back")
    func fallbackOnStreamErrorEvent() async throws {
        let server = try await ScriptedHTTPServer.start(
            reply: .sse([#"event: error\#ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\#n\#n"#])
        )
        defer { Task { try await server.shutdown() } }
        let gateway = try await Self.gateway(server, fallback: true)
        var text = ""
        for try await chunk in gateway.router.stream(slug: "claude", request: .user("Hello"), as: .admin) {
            text += chunk.text
        }
        #expect(text == "from backup")
    }

    @Test("the caller's own fault fails at once with Anthropic's message and never shows the key")
    func callerFaultDoesNotFallBack() async throws {
        let server = try await ScriptedHTTPServer.start(
            reply: .json(400, #"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long"}}"#)
        )
        defer { Task { try await server.shutdown() } }
        let gateway = try await Self.gateway(server, fallback: true)
        let error = await gatewayError { _ = try await gateway.router.complete(slug: "claude", request: .user("Hello"), as: .admin) }
        #expect(error?.code == .upstreamRejected)
        #expect(error?.message == "Anthropic: prompt is too long (invalid_request_error)")
        #expect(error?.attempts.map(\.endpoint) == ["claude"])
        #expect(error.map { !String(reflecting: $0).contains(F.secret) } == true)
    }
}
