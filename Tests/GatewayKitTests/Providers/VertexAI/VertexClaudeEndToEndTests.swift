import GatewayKit
import Testing

/// Claude on Vertex AI through the router, with the real Anthropic adapter the standard registry
/// wires in: Anthropic's body on the rawPredict URLs, authorized by the service-account token.
@Suite struct VertexClaudeEndToEndTests {
    static let message = #"""
        {"id":"msg_v1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
         "content":[{"type":"text","text":"Bonjour from Claude."}],
         "stop_reason":"end_turn","usage":{"input_tokens":9,"output_tokens":4}}
        """#

    @Test("completes and streams Claude on Vertex with the Anthropic body")
    func claudeOnVertex() async throws {
        let server = try await VertexFixtures.tokenServer(other: { request in
            if request.uri.contains(":streamRawPredict") {
                return .sse(AnthropicFixtures.textStream(["Bonjour ", "from ", "Claude."]))
            }
            return .json(Self.message)
        })
        defer { Task { try? await server.shutdown() } }
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
            .init(name: "claude", model: "vertex_ai/claude-sonnet-4-5", apiKeyID: key.id, maxTokens: 256), by: .admin)

        let reply = try await gateway.router.complete(slug: "claude", request: .user("Say hello"), as: .admin)
        #expect(reply.text == "Bonjour from Claude.")
        var streamed = ""
        for try await chunk in gateway.router.stream(slug: "claude", request: .user("Say hello"), as: .admin) {
            streamed += chunk.text
        }
        #expect(streamed == "Bonjour from Claude.")

        let calls = server.requests.filter { !$0.uri.hasPrefix("/token") }
        #expect(
            calls.map(\.uri) == [
                "/v1/projects/test-project/locations/europe-west4/publishers/anthropic/models/claude-sonnet-4-5:rawPredict",
                "/v1/projects/test-project/locations/europe-west4/publishers/anthropic/models/claude-sonnet-4-5:streamRawPredict",
            ]
        )
        let body = try #require(calls.first?.json)
        #expect(body["anthropic_version"] == .string("vertex-2023-10-16"))
        #expect(body["model"] == nil)
        #expect(body["max_tokens"] == .int(256))
        #expect(calls.allSatisfy { $0.header("authorization")?.hasPrefix("Bearer ya29.") == true })
        #expect(calls.allSatisfy { $0.header("x-api-key") == nil })
    }
}
