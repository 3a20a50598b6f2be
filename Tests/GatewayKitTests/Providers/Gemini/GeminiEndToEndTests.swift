import GatewayKit
import Testing

/// Gemini through the router against a local server speaking Gemini's wire format.
@Suite struct GeminiEndToEndTests {
    static let answer =
        #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Bonjour from Gemini."}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":4,"totalTokenCount":8},"modelVersion":"gemini-2.5-flash","responseId":"e2e-1"}"#

    static let streamEvents = [
        GoogleFixtures.event(
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Bonjour"}]},"index":0}],"responseId":"e2e-2"}"#
        ),
        GoogleFixtures.event(
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":" from Gemini."}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":4,"totalTokenCount":8},"responseId":"e2e-2"}"#
        ),
    ]

    static func server() async throws -> GoogleTestServer {
        try await GoogleTestServer.start { request in
            request.uri.contains(":streamGenerateContent") ? .sse(streamEvents) : .json(answer)
        }
    }

    /// A gateway with a `gemini` endpoint on `server`, and a `primary` endpoint on `primaryModel`
    /// that falls back to it.
    static func gateway(server: GoogleTestServer, primaryModel: String? = nil) async throws -> Gateway {
        let gateway = try await makeGateway()
        let key = try await gateway.keys.create(
            .init(
                name: "Gemini", provider: .gemini, secret: GoogleFixtures.apiKey,
                settings: .init(baseURL: server.baseURL)),
            by: .admin
        )
        try await gateway.endpoints.create(
            .init(name: "gemini", model: "gemini/gemini-2.5-flash", apiKeyID: key.id), by: .admin)
        if let primaryModel {
            try await gateway.endpoints.create(
                .init(name: "primary", model: primaryModel, fallbacks: ["gemini"]), by: .admin)
        }
        return gateway
    }

    @Test("completes through the router against a Gemini server")
    func complete() async throws {
        let server = try await Self.server()
        defer { Task { try? await server.shutdown() } }
        let gateway = try await Self.gateway(server: server)
        var request = ChatRequest.user("Say hello in French")
        request.messages.insert(.system("Be brief."), at: 0)
        let reply = try await gateway.router.complete(slug: "gemini", request: request, as: .admin)
        #expect(reply.text == "Bonjour from Gemini.")
        #expect(reply.usage?.totalTokens == 8)
        #expect(reply.servedBy?.endpoint == "gemini")
        let sent = try #require(server.requests.first)
        #expect(sent.uri == "/v1beta/models/gemini-2.5-flash:generateContent")
        #expect(sent.header("x-goog-api-key") == GoogleFixtures.apiKey)
        #expect(sent.json?["systemInstruction"] == GoogleFixtures.json(#"{"parts":[{"text":"Be brief."}]}"#))
        #expect(
            sent.json?["contents"]
                == GoogleFixtures.json(#"[{"role":"user","parts":[{"text":"Say hello in French"}]}]"#))
    }

    @Test("streams through the router against a Gemini server")
    func stream() async throws {
        let server = try await Self.server()
        defer { Task { try? await server.shutdown() } }
        let gateway = try await Self.gateway(server: server)
        var chunks: [ChatChunk] = []
        for try await chunk in gateway.router.stream(slug: "gemini", request: .user("Say hello"), as: .admin) {
            chunks.append(chunk)
        }
        #expect(chunks.map(\.text).joined() == "Bonjour from Gemini.")
        #expect(chunks.first?.servedBy?.endpoint == "gemini")
        #expect(chunks.last?.choices.first?.finishReason == .stop)
        #expect(server.requests.first?.uri == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
    }

    @Test("a failing endpoint falls back to a working Gemini endpoint, complete and stream", arguments: [503, 529])
    func fallback(status: Int) async throws {
        let server = try await Self.server()
        defer { Task { try? await server.shutdown() } }
        let gateway = try await Self.gateway(server: server, primaryModel: "mock/error:\(status)")
        let reply = try await gateway.router.complete(slug: "primary", request: .user("hi"), as: .admin)
        #expect(reply.text == "Bonjour from Gemini.")
        #expect(reply.servedBy?.endpoint == "gemini")
        #expect(reply.servedBy?.attempts.map(\.endpoint) == ["primary", "gemini"])
        var chunks: [ChatChunk] = []
        for try await chunk in gateway.router.stream(slug: "primary", request: .user("hi"), as: .admin) {
            chunks.append(chunk)
        }
        #expect(chunks.map(\.text).joined() == "Bonjour from Gemini.")
        #expect(chunks.first?.servedBy?.endpoint == "gemini")
        #expect(chunks.first?.servedBy?.usedFallback == true)
    }

    @Test("a Gemini 429 falls back, a Gemini 400 fails at once with Gemini's message")
    func upstreamErrors() async throws {
        let server = try await GoogleTestServer.start { request in
            if request.body.contains("limit me") {
                return .json(
                    #"{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}"#,
                    status: 429)
            }
            return .json(
                #"{"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT"}}"#,
                status: 400)
        }
        defer { Task { try? await server.shutdown() } }
        let gateway = try await Self.gateway(server: server)
        try await gateway.endpoints.create(.init(name: "backup", model: "mock/fixed:from backup"), by: .admin)
        try await gateway.endpoints.create(
            .init(name: "front", model: "mock/error:500", fallbacks: ["gemini", "backup"]), by: .admin)
        let reply = try await gateway.router.complete(slug: "front", request: .user("limit me"), as: .admin)
        #expect(reply.text == "from backup")
        #expect(reply.servedBy?.attempts.map(\.endpoint) == ["front", "gemini", "backup"])
        let error = await gatewayError {
            _ = try await gateway.router.complete(slug: "gemini", request: .user("bad"), as: .admin)
        }
        #expect(error?.code == .upstreamRejected)
        #expect(error?.message == "gemini: Request contains an invalid argument.")
        #expect(error?.description.contains(GoogleFixtures.apiKey) == false)
    }
}
