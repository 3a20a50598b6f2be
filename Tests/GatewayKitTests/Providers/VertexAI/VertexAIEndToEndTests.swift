import GatewayKit
import Testing

/// Vertex AI through the router: a local server is both the token endpoint and the Vertex host.
@Suite struct VertexAIEndToEndTests {
    static func server() async throws -> GoogleTestServer {
        try await VertexFixtures.tokenServer(other: { request in
            if request.uri.contains(":streamGenerateContent") { return .sse(GeminiEndToEndTests.streamEvents) }
            return .json(GeminiEndToEndTests.answer)
        })
    }

    static func gateway(server: GoogleTestServer) async throws -> (Gateway, APIKey.ID) {
        let gateway = try await makeGateway()
        let key = try await gateway.keys.create(
            .init(
                name: "Vertex", provider: .vertexAI,
                secret: VertexFixtures.serviceAccount(tokenURI: server.baseURL + "/token"),
                settings: .init(baseURL: server.baseURL, project: "test-project", location: "europe-west4")
            ),
            by: .admin
        )
        try await gateway.endpoints.create(
            .init(name: "vertex", model: "vertex_ai/gemini-2.5-flash", apiKeyID: key.id), by: .admin)
        return (gateway, key.id)
    }

    @Test("completes and streams through the router with one token exchange")
    func completeAndStream() async throws {
        let server = try await Self.server()
        defer { Task { try? await server.shutdown() } }
        let (gateway, _) = try await Self.gateway(server: server)

        let reply = try await gateway.router.complete(slug: "vertex", request: .user("Say hello in French"), as: .admin)
        #expect(reply.text == "Bonjour from Gemini.")
        #expect(reply.servedBy?.endpoint == "vertex")

        var chunks: [ChatChunk] = []
        for try await chunk in gateway.router.stream(slug: "vertex", request: .user("Say hello"), as: .admin) {
            chunks.append(chunk)
        }
        #expect(chunks.map(\.text).joined() == "Bonjour from Gemini.")
        #expect(chunks.last?.choices.first?.finishReason == .stop)

        #expect(server.hits("/token") == 1)
        let calls = server.requests.filter { !$0.uri.hasPrefix("/token") }
        #expect(
            calls.map(\.uri) == [
                "/v1/projects/test-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent",
                "/v1/projects/test-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
            ]
        )
        #expect(calls.allSatisfy { $0.header("authorization") == "Bearer ya29.token-1" })
        #expect(
            calls.first?.json?["contents"]
                == GoogleFixtures.json(#"[{"role":"user","parts":[{"text":"Say hello in French"}]}]"#))
    }

    @Test("a refused service account falls back to the next endpoint, and no secret reaches the error trail")
    func refusedFallsBack() async throws {
        let server = try await VertexFixtures.tokenServer(token: { _, _ in
            .json(#"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#, status: 400)
        })
        defer { Task { try? await server.shutdown() } }
        let (gateway, keyID) = try await Self.gateway(server: server)
        try await gateway.endpoints.create(.init(name: "backup", model: "mock/fixed:from backup"), by: .admin)
        try await gateway.endpoints.create(
            .init(name: "front", model: "vertex_ai/gemini-2.5-flash", apiKeyID: keyID, fallbacks: ["backup"]),
            by: .admin
        )
        let reply = try await gateway.router.complete(slug: "front", request: .user("hi"), as: .admin)
        #expect(reply.text == "from backup")
        #expect(reply.servedBy?.attempts.map(\.endpoint) == ["front", "backup"])
        let trail = String(reflecting: reply.servedBy?.attempts ?? [])
        #expect(!trail.contains(VertexFixtures.privateKeyBody.prefix(40)))
        #expect(!trail.contains("ya29."))

        let error = await gatewayError {
            _ = try await gateway.router.complete(slug: "vertex", request: .user("hi"), as: .admin)
        }
        #expect(error?.code == .upstreamAuthFailed)
        let shown = [error?.description, error?.debugDescription].compactMap { $0 }.joined()
        #expect(shown.contains("invalid_grant"))
        #expect(!shown.contains(VertexFixtures.privateKeyBody.prefix(40)))
        let jwt = try #require(server.requests.first?.form["assertion"])
        #expect(!shown.contains(jwt.split(separator: ".")[2]))
    }
}
