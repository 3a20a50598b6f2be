import GatewayKit
import GatewayKitTesting
import Logging
import Testing

@testable import GatewayKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Bedrock through the router against a local server speaking Converse and ConverseStream.
@Suite struct BedrockEndToEndTests {
    typealias B = BedrockFixtures
    typealias F = EventStreamFrames

    static let converseAnswer = Array(
        #"{"output":{"message":{"role":"assistant","content":[{"text":"Bonjour!"}]}},"stopReason":"end_turn","usage":{"inputTokens":12,"outputTokens":3,"totalTokens":15}}"#
            .utf8
    )

    private func gateway(logs: LogRecorder = LogRecorder()) async throws -> Gateway {
        var providers = ProviderRegistry.standard
        providers.register(BedrockAdapter(now: { B.date }), for: .bedrock)
        var logger = Logger(label: "bedrock-test", factory: { _ in logs.handler() })
        logger.logLevel = .trace
        return try await Gateway(
            store: InMemoryGatewayStore(), masterKey: testMasterKey,
            configuration: .init(providers: providers, logger: logger)
        )
    }

    private func bedrockEndpoint(_ gateway: Gateway, server: BedrockTestServer, fallbacks: [Endpoint.Slug] = [])
        async throws
    {
        let key = try await gateway.keys.create(
            .init(
                name: "aws", provider: .bedrock, secret: B.secret(token: B.sessionToken),
                settings: .init(baseURL: server.baseURL, region: "eu-west-3")
            ),
            by: .admin
        )
        try await gateway.endpoints.create(
            .init(name: "claude", model: "bedrock/" + B.model, apiKeyID: key.id, fallbacks: fallbacks), by: .admin
        )
    }

    /// Recomputes the signature of what the server received: proves the path, host and body on
    /// the wire are the ones that were signed.
    private func expectValidSignature(_ request: BedrockTestServer.Request) {
        let signer = SigV4Signer(
            credentials: .init(
                accessKeyID: B.accessKeyID, secretAccessKey: Secret(B.secretKey), sessionToken: Secret(B.sessionToken)
            ),
            region: "eu-west-3", service: "bedrock"
        )
        let expected = signer.sign(
            .init(
                method: request.method, host: request.header("host") ?? "", path: request.uri,
                headers: [("content-type", request.header("content-type") ?? "")], body: request.body
            ),
            at: B.date
        )
        #expect(request.header("authorization") == expected.authorization)
        #expect(request.header("x-amz-security-token") == B.sessionToken)
        #expect(request.header("x-amz-date") == "20240115T120000Z")
    }

    @Test("a Converse call through the router is signed, sent and parsed")
    func complete() async throws {
        let server = try await BedrockTestServer.start()
        let gateway = try await gateway()
        try await bedrockEndpoint(gateway, server: server)
        server.reply(
            headers: [("content-type", "application/json"), ("x-amzn-RequestId", "r-1")], parts: [Self.converseAnswer])

        let response = try await gateway.router.complete(slug: "claude", request: .user("Salut"), as: .admin)
        #expect(response.text == "Bonjour!")
        #expect(response.id == "bedrock-r-1")
        #expect(response.usage?.totalTokens == 15)
        #expect(response.servedBy?.endpoint == "claude")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.uri == "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse")
        expectValidSignature(request)
        let body = try JSONDecoder().decode(JSONValue.self, from: Data(request.body))
        #expect(
            body["messages"]
                == .array([
                    .object(["role": .string("user"), "content": .array([.object(["text": .string("Salut")])])])
                ]))
        try await server.shutdown()
    }

    @Test("a ConverseStream call through the router streams text, finish reason and usage")
    func stream() async throws {
        let server = try await BedrockTestServer.start()
        let gateway = try await gateway()
        try await bedrockEndpoint(gateway, server: server)
        let frames = [
            F.event("messageStart", #"{"role":"assistant"}"#),
            F.event("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"Bon"}}"#),
            F.event("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"jour"}}"#),
            F.event("contentBlockStop", #"{"contentBlockIndex":0}"#),
            F.event("messageStop", #"{"stopReason":"max_tokens"}"#),
            F.event("metadata", #"{"usage":{"inputTokens":12,"outputTokens":2,"totalTokens":14}}"#),
        ]
        // Parts split across frame boundaries, as a network would.
        let bytes = frames.flatMap { $0 }
        server.reply(
            headers: [("content-type", "application/vnd.amazon.eventstream")],
            parts: [Array(bytes[..<30]), Array(bytes[30..<200]), Array(bytes[200...])]
        )

        var chunks: [ChatChunk] = []
        for try await chunk in gateway.router.stream(slug: "claude", request: .user("Salut"), as: .admin) {
            chunks.append(chunk)
        }
        #expect(chunks.map(\.text).joined() == "Bonjour")
        #expect(chunks.first?.servedBy?.endpoint == "claude")
        #expect(chunks.compactMap { $0.choices.first?.finishReason } == [.length])
        #expect(chunks.last?.usage?.totalTokens == 14)
        let request = try #require(server.requests.first)
        #expect(request.uri == "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream")
        expectValidSignature(request)
        try await server.shutdown()
    }

    @Test("a Bedrock stream failing before its first event falls back to the next endpoint")
    func streamFallback() async throws {
        let server = try await BedrockTestServer.start()
        let gateway = try await gateway()
        try await gateway.endpoints.create(.init(name: "backup", model: "mock/fixed:from the backup"), by: .admin)
        try await bedrockEndpoint(gateway, server: server, fallbacks: ["backup"])
        let failures: [BedrockTestServer.Reply] = [
            .init(
                status: 200, headers: [("content-type", "application/vnd.amazon.eventstream")],
                parts: [F.exception("throttlingException", "Too many requests, please wait before trying again.")]
            ),
            .init(
                status: 503, headers: [("x-amzn-ErrorType", "ServiceUnavailableException:http://internal.amazon.com/")],
                parts: [Array(#"{"message":"Bedrock is unable to process your request."}"#.utf8)]
            ),
        ]
        for failure in failures {
            server.reply(status: failure.status, headers: failure.headers, parts: failure.parts)
            var chunks: [ChatChunk] = []
            for try await chunk in gateway.router.stream(slug: "claude", request: .user("x"), as: .admin) {
                chunks.append(chunk)
            }
            #expect(chunks.map(\.text).joined() == "from the backup")
            #expect(chunks.first?.servedBy?.usedFallback == true)
            #expect(chunks.first?.servedBy?.attempts.map(\.endpoint) == ["claude", "backup"])
        }
        try await server.shutdown()
    }

    @Test("a stream cut before messageStop ends with an error, not a clean end")
    func truncatedStream() async throws {
        let server = try await BedrockTestServer.start()
        let gateway = try await gateway()
        try await bedrockEndpoint(gateway, server: server)
        let frames =
            F.event("messageStart", #"{"role":"assistant"}"#)
            + F.event("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"Bon"}}"#)
        server.reply(parts: [frames + Array(F.event("messageStop", #"{"stopReason":"end_turn"}"#).prefix(10))])
        var text = ""
        let error = await gatewayError {
            for try await chunk in gateway.router.stream(slug: "claude", request: .user("x"), as: .admin) {
                text += chunk.text
            }
        }
        #expect(text == "Bon")
        #expect(error?.code == .upstream)
        try await server.shutdown()
    }

    @Test("no AWS secret appears in errors or logs, even when the provider's message quotes it")
    func noSecretsLeak() async throws {
        let server = try await BedrockTestServer.start()
        let logs = LogRecorder()
        let gateway = try await gateway(logs: logs)
        try await bedrockEndpoint(gateway, server: server)
        server.reply(
            status: 403, headers: [("x-amzn-ErrorType", "InvalidSignatureException")],
            parts: [
                Array(
                    #"{"message":"Signature mismatch; canonical request had x-amz-security-token:\#(B.sessionToken) and key \#(B.secretKey)"}"#
                        .utf8)
            ]
        )
        let error = await gatewayError {
            _ = try await gateway.router.complete(slug: "claude", request: .user("x"), as: .admin)
        }
        #expect(error?.code == .upstreamAuthFailed)
        #expect(error?.message.contains("<redacted>") == true)
        // The same failure on an endpoint with a fallback: it is served, and logged, by the backup.
        try await gateway.endpoints.create(.init(name: "backup", model: "mock/fixed:ok"), by: .admin)
        let keyID = try #require(gateway.keys.list(by: .admin).first?.id)
        try await gateway.endpoints.create(
            .init(name: "guarded", model: "bedrock/" + B.model, apiKeyID: keyID, fallbacks: ["backup"]), by: .admin
        )
        let response = try await gateway.router.complete(slug: "guarded", request: .user("x"), as: .admin)
        #expect(response.text == "ok")
        let shown = error.map { String(describing: $0) + String(reflecting: $0) + $0.message } ?? ""
        let keys = try gateway.keys.list(by: .admin)
        let everything = shown + logs.text + String(reflecting: keys) + String(reflecting: response)
        #expect(!everything.contains(B.secretKey))
        #expect(!everything.contains(B.sessionToken))
        #expect(logs.text.contains("request served"))
        try await server.shutdown()
    }

    @Test("a failing Bedrock stream falls back to a working OpenAI-compatible endpoint")
    func streamFallbackToOpenAICompatible() async throws {
        let bedrock = try await BedrockTestServer.start()
        let upstream = try await LocalUpstream.start()
        let gateway = try await gateway()
        let key = try await gateway.keys.create(
            .init(name: "oa", provider: .openai, secret: "sk-test-0123456789", settings: .init(baseURL: upstream.baseURL)),
            by: .admin
        )
        try await gateway.endpoints.create(.init(name: "backup", model: "openai/gpt-4o-mini", apiKeyID: key.id), by: .admin)
        try await bedrockEndpoint(gateway, server: bedrock, fallbacks: ["backup"])
        bedrock.reply(
            headers: [("content-type", "application/vnd.amazon.eventstream")],
            parts: [F.exception("throttlingException", "slow down")]
        )
        upstream.setBehaviour(.stream(chunks: ["from ", "openai"]))
        var chunks: [ChatChunk] = []
        for try await chunk in gateway.router.stream(slug: "claude", request: .user("x"), as: .admin) { chunks.append(chunk) }
        #expect(chunks.map(\.text).joined() == "from openai")
        #expect(chunks.first?.servedBy?.attempts.map(\.endpoint) == ["claude", "backup"])
        #expect(upstream.requests.count == 1)
        try await upstream.shutdown()
        try await bedrock.shutdown()
    }
}
