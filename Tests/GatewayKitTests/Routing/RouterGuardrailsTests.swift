import GatewayKit
import GatewayKitTesting
import Testing

/// Guardrails on the request path: input and output stages, complete and streamed, against the
/// mock provider and a real OpenAI-format server on 127.0.0.1.
@Suite struct RouterGuardrailsTests {
    static let secret = SecretsMatcherTests.openAI

    /// A gateway with `rules`, a mock endpoint "echo" and an endpoint "main" on a local upstream.
    struct Fixture {
        let gateway: Gateway
        let store: SeededGuardrailStore
        let upstream: LocalUpstream

        static func make(_ rules: [GuardrailRule], guardrails: [any Guardrail] = []) async throws -> Fixture {
            let store = SeededGuardrailStore()
            let upstream = try await LocalUpstream.start()
            let gateway = try await Gateway(
                store: store, masterKey: testMasterKey, configuration: .init(guardrails: guardrails)
            )
            let key = try await gateway.keys.create(
                .init(
                    name: "local", provider: .openai, secret: "sk-local-0123456789",
                    settings: .init(baseURL: upstream.baseURL)),
                by: .admin
            )
            try await gateway.endpoints.create(
                .init(name: "main", model: "openai/gpt-4o", apiKeyID: key.id), by: .admin)
            try await gateway.endpoints.create(.init(name: "echo", model: "mock/echo"), by: .admin)
            store.setRules(rules)
            try await gateway.reload()
            return Fixture(gateway: gateway, store: store, upstream: upstream)
        }

        func complete(_ slug: Endpoint.Slug, _ text: String) async throws -> ChatResponse {
            try await gateway.router.complete(slug: slug, request: .user(text), as: .admin)
        }

        func stream(_ slug: Endpoint.Slug, _ text: String) async throws -> [ChatChunk] {
            var chunks: [ChatChunk] = []
            for try await chunk in gateway.router.stream(slug: slug, request: .user(text), as: .admin) {
                chunks.append(chunk)
            }
            return chunks
        }

        func shutdown() async throws { try await upstream.shutdown() }
    }

    @Test("a blocked input never reaches the upstream, on complete and on stream")
    func blockedInputNeverSent() async throws {
        let fixture = try await Fixture.make([.test("no-secrets", .secrets)])
        fixture.upstream.setBehaviour(.reply(text: "never"))
        let error = await gatewayError { _ = try await fixture.complete("main", "use \(Self.secret) please") }
        #expect(error?.code == .guardrailBlocked)
        #expect(error?.failureClass == .blocked)
        #expect(error?.message.contains("'no-secrets'") == true)
        #expect(error?.message.contains(Self.secret) == false)
        #expect(error?.attempts.count == 1)
        let streamed = await gatewayError { _ = try await fixture.stream("main", "use \(Self.secret) please") }
        #expect(streamed?.code == .guardrailBlocked)
        #expect(fixture.upstream.requests.isEmpty)
        try await fixture.shutdown()
    }

    @Test("an input redaction rewrites the messages sent upstream")
    func inputRedaction() async throws {
        let fixture = try await Fixture.make([.test("pii", .pii(types: [.email, .card]), action: .redact)])
        fixture.upstream.setBehaviour(.reply(text: nil))
        let reply = try await fixture.complete("main", "I am jane@example.com, card 4111 1111 1111 1111.")
        let sent = try #require(fixture.upstream.requests.first?.json)
        let content = sent["messages"]?.arrayValue?.last?["content"]?.stringValue
        #expect(content == "I am [REDACTED:email], card [REDACTED:card].")
        #expect(reply.text == "I am [REDACTED:email], card [REDACTED:card].")
        try await fixture.shutdown()
    }

    @Test("output rules redact or block a complete answer")
    func outputComplete() async throws {
        let redacting = try await Fixture.make([.test("keys", .secrets, stage: .output, action: .redact)])
        let reply = try await redacting.complete("echo", "the key is \(Self.secret).")
        #expect(reply.text == "the key is [REDACTED:secrets].")
        try await redacting.shutdown()

        let blocking = try await Fixture.make([.test("words", .blockedTerms(["forbidden"]), stage: .output)])
        let error = await gatewayError { _ = try await blocking.complete("echo", "a Forbidden answer") }
        #expect(error?.code == .guardrailBlocked)
        #expect(error?.message.contains("'words'") == true)
        #expect(
            try await blocking.complete("echo", "an unforbiddenly fine answer").text == "an unforbiddenly fine answer")
        try await blocking.shutdown()
    }

    @Test("a secret split across upstream stream chunks at every offset is redacted")
    func streamedSecretEveryOffset() async throws {
        let fixture = try await Fixture.make([.test("keys", .secrets, stage: .output, action: .redact)])
        let text = "key: \(Self.secret) done"
        for offset in 0...text.count {
            let split = text.index(text.startIndex, offsetBy: offset)
            fixture.upstream.setBehaviour(.stream(chunks: [String(text[..<split]), String(text[split...])]))
            let chunks = try await fixture.stream("main", "hi")
            #expect(chunks.map(\.text).joined() == "key: [REDACTED:secrets] done", "split at \(offset)")
            #expect(chunks.first?.servedBy?.endpoint == "main")
        }
        try await fixture.shutdown()
    }

    @Test("a streamed block ends the stream with the typed error before the matched text")
    func streamBlock() async throws {
        let fixture = try await Fixture.make([.test("keys", .secrets, stage: .output)])
        var received = ""
        let error = await gatewayError {
            for try await chunk in fixture.gateway.router.stream(
                slug: "echo", request: .user("hello there \(Self.secret) bye"), as: .admin)
            {
                received += chunk.text
            }
        }
        #expect(error?.code == .guardrailBlocked)
        #expect(error?.message.contains("'keys'") == true)
        #expect(!received.contains("sk-"))
        try await fixture.shutdown()
    }

    @Test("scope: a rule listing slugs applies only to them; order decides which rule is named")
    func scopeAndOrder() async throws {
        let fixture = try await Fixture.make([
            .test("later", .blockedTerms(["stop"]), order: 2),
            .test("earlier", .blockedTerms(["stop"]), order: 1),
            .test("main-only", .blockedTerms(["halt"]), scope: .endpoints(["main"])),
        ])
        fixture.upstream.setBehaviour(.reply(text: "ok"))
        let error = await gatewayError { _ = try await fixture.complete("echo", "please stop") }
        #expect(error?.message.contains("'earlier'") == true)
        #expect(try await fixture.complete("echo", "halt").text == "halt")
        let scoped = await gatewayError { _ = try await fixture.complete("main", "halt") }
        #expect(scoped?.message.contains("'main-only'") == true)
        #expect(fixture.upstream.requests.isEmpty)
        try await fixture.shutdown()
    }

    @Test("inactive rules are ignored, and a reload picks up a change")
    func inactive() async throws {
        let fixture = try await Fixture.make([.test("off", .blockedTerms(["stop"]), active: false)])
        #expect(try await fixture.complete("echo", "stop").text == "stop")
        fixture.store.setRules([.test("on", .blockedTerms(["stop"]))])
        try await fixture.gateway.reload()
        #expect(await gatewayError { _ = try await fixture.complete("echo", "stop") }?.code == .guardrailBlocked)
        try await fixture.shutdown()
    }

    @Test("max_input blocks by characters or estimated tokens")
    func maxInput() async throws {
        let fixture = try await Fixture.make([
            .test("chars", .maxInput(maxCharacters: 20, maxTokens: nil), scope: .endpoints(["echo"])),
            .test("tokens", .maxInput(maxCharacters: nil, maxTokens: 2), scope: .endpoints(["main"])),
        ])
        fixture.upstream.setBehaviour(.reply(text: "ok"))
        #expect(try await fixture.complete("echo", String(repeating: "a", count: 20)).text.count == 20)
        let chars = await gatewayError { _ = try await fixture.complete("echo", String(repeating: "a", count: 21)) }
        #expect(chars?.message.contains("21 characters") == true)
        #expect(try await fixture.complete("main", "12345678").text == "ok")
        let tokens = await gatewayError { _ = try await fixture.complete("main", "123456789") }
        #expect(tokens?.message.contains("'tokens'") == true)
        #expect(fixture.upstream.requests.count == 1)
        try await fixture.shutdown()
    }
}
