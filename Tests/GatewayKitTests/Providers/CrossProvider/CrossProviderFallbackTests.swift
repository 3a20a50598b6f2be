import GatewayKit
import GatewayKitTesting
import Testing

/// Fallback across wire formats: an overloaded Anthropic endpoint hands over to Gemini.
@Suite struct CrossProviderFallbackTests {
    static let overloaded = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#

    @Test("a failing Anthropic endpoint falls back to a working Gemini endpoint, complete and stream")
    func anthropicToGemini() async throws {
        let anthropic = try await LocalUpstream.start()
        anthropic.setBehaviour(.status(529, body: Self.overloaded))
        let gemini = try await GeminiEndToEndTests.server()
        let gateway = try await GeminiEndToEndTests.gateway(server: gemini)
        let key = try await gateway.keys.create(
            .init(
                name: "Anthropic", provider: .anthropic, secret: "sk-ant-api03-CROSS-0123456789",
                settings: .init(baseURL: "http://127.0.0.1:\(anthropic.port)")),
            by: .admin
        )
        try await gateway.endpoints.create(
            .init(name: "claude", model: "anthropic/claude-sonnet-4-5", apiKeyID: key.id, fallbacks: ["gemini"]),
            by: .admin
        )

        let reply = try await gateway.router.complete(slug: "claude", request: .user("Say hello in French"), as: .admin)
        #expect(reply.text == "Bonjour from Gemini.")
        #expect(reply.servedBy?.attempts.map(\.endpoint) == ["claude", "gemini"])
        #expect(reply.servedBy?.attempts.first?.provider == .anthropic)

        var streamed = ""
        var first: ChatChunk?
        for try await chunk in gateway.router.stream(slug: "claude", request: .user("Say hello"), as: .admin) {
            if first == nil { first = chunk }
            streamed += chunk.text
        }
        #expect(streamed == "Bonjour from Gemini.")
        #expect(first?.servedBy?.model.provider == .gemini)
        #expect(anthropic.requests.count == 2)
        #expect(anthropic.requests.allSatisfy { $0.path == "/v1/messages" })
        try await anthropic.shutdown()
        try await gemini.shutdown()
    }
}
