import GatewayKit
import Testing

/// Through the router and the real HTTP transport, against a local server speaking Cohere v2 chat.
@Suite struct CohereEndToEndTests {
    typealias F = CohereFixtures

    static let answer = """
        {"id":"c1","finish_reason":"COMPLETE","message":{"role":"assistant","content":[{"type":"text","text":"18 °C in Paris."}]},
         "usage":{"billed_units":{"input_tokens":9,"output_tokens":7},"tokens":{"input_tokens":75,"output_tokens":7}}}
        """

    static func gateway(_ server: ScriptedHTTPServer, provider: Provider, fallback: Bool = false) async throws -> Gateway {
        let gateway = try await makeGateway()
        let key = try await gateway.keys.create(
            .init(name: "Cohere", provider: provider, secret: F.secret, settings: .init(baseURL: server.origin)), by: .admin
        )
        if fallback {
            try await gateway.endpoints.create(.init(name: "backup", model: "mock/fixed:from backup"), by: .admin)
        }
        try await gateway.endpoints.create(
            .init(
                name: "command", model: "\(provider)/command-a-03-2025", apiKeyID: key.id,
                fallbacks: fallback ? ["backup"] : []
            ),
            by: .admin
        )
        return gateway
    }

    @Test("completes through the router against a v2 chat server", arguments: [Provider.cohere, .cohereChat])
    func complete(provider: Provider) async throws {
        let server = try await ScriptedHTTPServer.start(reply: .json(200, Self.answer))
        defer { Task { try await server.shutdown() } }
        let gateway = try await Self.gateway(server, provider: provider)
        let reply = try await gateway.router.complete(slug: "command", request: .user("Weather in Paris?"), as: .admin)
        #expect(reply.text == "18 °C in Paris.")
        #expect(reply.usage == Usage(promptTokens: 75, completionTokens: 7))
        let sent = try #require(server.requests.first)
        #expect(sent.uri == "/v2/chat")
        #expect(sent.headers["authorization"] == "Bearer " + F.secret)
        let body = try #require(sent.json)
        #expect(body["model"] == .string("command-a-03-2025"))
        #expect(body["messages"] == .array([.object(["role": .string("user"), "content": .string("Weather in Paris?")])]))
    }

    @Test("streams through the router against a v2 chat server")
    func stream() async throws {
        let parts = F.textStream.split(separator: "\n\n", omittingEmptySubsequences: true).map { String($0) + "\n\n" }
        let server = try await ScriptedHTTPServer.start(reply: .sse(parts))
        defer { Task { try await server.shutdown() } }
        let gateway = try await Self.gateway(server, provider: .cohere)
        var chunks: [ChatChunk] = []
        for try await chunk in gateway.router.stream(slug: "command", request: .user("Weather?"), as: .admin) {
            chunks.append(chunk)
        }
        #expect(chunks.map(\.text).joined() == "18 °C in Paris.")
        #expect(chunks.last?.choices.first?.finishReason == .stop)
        #expect(chunks.last?.usage == Usage(promptTokens: 75, completionTokens: 7))
        #expect(try #require(server.requests.first?.json)["stream"] == .bool(true))
    }

    @Test("a rate-limited Cohere falls back; an invalid request does not")
    func fallback() async throws {
        let server = try await ScriptedHTTPServer.start(reply: .json(429, #"{"message":"You are past the per minute request limit"}"#))
        defer { Task { try await server.shutdown() } }
        let gateway = try await Self.gateway(server, provider: .cohere, fallback: true)
        let reply = try await gateway.router.complete(slug: "command", request: .user("hi"), as: .admin)
        #expect(reply.text == "from backup")
        #expect(reply.servedBy?.attempts.first?.outcome == .failure(code: .upstreamRateLimited, failureClass: .rateLimit, status: 429))
        server.setReply(.json(400, #"{"message":"invalid request: messages is empty"}"#))
        let error = await gatewayError { _ = try await gateway.router.complete(slug: "command", request: .user("hi"), as: .admin) }
        #expect(error?.code == .upstreamRejected)
        #expect(error?.message == "Cohere: invalid request: messages is empty")
        #expect(error?.attempts.map(\.endpoint) == ["command"])
    }
}
