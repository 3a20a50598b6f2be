import Foundation
import GatewayKit
import HTTPTypes
import NIOCore
import Synchronization
import Testing

/// A stand-in for the Anthropic adapter: builds a direct-Anthropic request and records the calls it sees.
final class InnerAnthropicDouble: ProviderAdapter {
    let seen = Mutex<[ProviderCall]>([])

    func makeRequest(_ request: ChatRequest, for call: ProviderCall) throws -> UpstreamRequest {
        seen.withLock { $0.append(call) }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let name = HTTPField.Name("x-api-key") { headers[name] = call.secret?.reveal() ?? "" }
        if let name = HTTPField.Name("anthropic-version") { headers[name] = "2023-06-01" }
        if let name = HTTPField.Name("anthropic-beta") { headers[name] = "fine-grained-tool-streaming-2025-05-14" }
        var body: [String: JSONValue] = [
            "model": .string(call.model.name), "max_tokens": .int(request.maxTokens ?? 1024),
            "messages": .array(
                request.messages.map { .object(["role": .string($0.role.rawValue), "content": .string($0.text)]) }),
        ]
        if call.stream { body["stream"] = .bool(true) }
        return UpstreamRequest(
            url: "https://api.anthropic.com/v1/messages", headers: headers,
            body: ByteBuffer(bytes: try JSONEncoder().encode(JSONValue.object(body)))
        )
    }

    func parseResponse(_ response: UpstreamResponse, for call: ProviderCall) throws -> ChatResponse {
        let json = GoogleFixtures.json(response.body)
        let text = json["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        return ChatResponse(
            id: "msg", created: 0, model: call.model.name,
            choices: [.init(message: .assistant(text), finishReason: .stop)], usage: nil)
    }

    func makeStreamParser(for call: ProviderCall) -> any ProviderStreamParser { Parser() }

    func classifyError(status: Int, headers: HTTPFields, body: ByteBuffer, for call: ProviderCall) -> GatewayError {
        GatewayError(.upstreamRateLimited, "anthropic double: \(status)", upstreamStatus: status)
    }

    struct Parser: ProviderStreamParser {
        var ended = false
        mutating func parse(_ bytes: ByteBuffer) throws -> [ChatChunk] {
            [
                ChatChunk(
                    id: "s", created: 0, model: "claude", choices: [.init(delta: .init(content: String(buffer: bytes)))]
                )
            ]
        }
        mutating func finish() throws -> [ChatChunk] { [] }
    }
}

@Suite struct VertexAIAdapterTests {
    static let token = Secret("ya29.a0-access-token-for-tests")

    func authorized(_ call: ProviderCall) -> ProviderCall {
        var call = call
        call.accessToken = Self.token
        return call
    }

    @Test("builds the Gemini body on the regional publisher URL with the bearer token")
    func geminiOnVertex() throws {
        let adapter = VertexAIAdapter()
        let request = ChatRequest(
            messages: [.system("Be brief."), .user("Hi")], maxTokens: 64, tools: [ChatTool(name: "f")])
        let built = try adapter.makeRequest(request, for: authorized(VertexFixtures.call(secret: "{}")))
        #expect(
            built.url
                == "https://us-central1-aiplatform.googleapis.com/v1/projects/test-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent"
        )
        #expect(built.headers[.authorization] == "Bearer \(Self.token.reveal())")
        #expect(built.headers[.contentType] == "application/json")
        #expect(built.headers[HTTPField.Name("x-goog-api-key")!] == nil)
        let gemini = try GeminiAdapter().makeRequest(request, for: GoogleFixtures.call("gemini-2.5-flash"))
        #expect(GoogleFixtures.json(built.body) == GoogleFixtures.json(gemini.body))
    }

    @Test(
        "picks the host for the location, and streams with alt=sse",
        arguments: [
            ("europe-west4", "https://europe-west4-aiplatform.googleapis.com"),
            ("global", "https://aiplatform.googleapis.com"),
            ("us", "https://aiplatform.us.rep.googleapis.com"), ("eu", "https://aiplatform.eu.rep.googleapis.com"),
        ]
    )
    func hosts(location: String, origin: String) throws {
        let call = authorized(VertexFixtures.call("gemini-2.0-flash", stream: true, secret: "{}", location: location))
        let built = try VertexAIAdapter().makeRequest(.init(messages: [.user("hi")]), for: call)
        #expect(
            built.url
                == "\(origin)/v1/projects/test-project/locations/\(location)/publishers/google/models/gemini-2.0-flash:streamGenerateContent?alt=sse"
        )
    }

    @Test("a key without project or location is an invalid request naming the field, before any token exchange")
    func missingPlace() async throws {
        let adapter = VertexAIAdapter()
        for (project, location, field) in [
            (nil, "us-central1", "project"), ("p", nil, "location"), ("p", " ", "location"),
        ] {
            let call = VertexFixtures.call(secret: "{}", project: project, location: location)
            let built = #expect(throws: GatewayError.self) {
                try adapter.makeRequest(.init(messages: [.user("hi")]), for: authorized(call))
            }
            #expect(built?.code == .invalidRequest)
            #expect(built?.field == field)
            let authorizing = await gatewayError {
                _ = try await adapter.authorize(call, transport: HTTPClientTransport())
            }
            #expect(authorizing?.code == .invalidRequest)
            #expect(authorizing?.field == field)
        }
    }

    @Test("building a request without an access token is a credential failure")
    func noToken() {
        let error = #expect(throws: GatewayError.self) {
            try VertexAIAdapter().makeRequest(.init(messages: [.user("hi")]), for: VertexFixtures.call(secret: "{}"))
        }
        #expect(error?.code == .upstreamAuthFailed)
    }

    @Test("parses Gemini answers and classifies Google errors as vertex_ai")
    func geminiAnswersAndErrors() throws {
        let adapter = VertexAIAdapter(gemini: GeminiAdapter(now: { 42 }))
        let call = authorized(VertexFixtures.call(secret: "{}"))
        let response = try adapter.parseResponse(
            GoogleFixtures.response(
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1,"totalTokenCount":2,"trafficType":"ON_DEMAND"},"createTime":"2025-01-01T00:00:00Z"}"#
            ),
            for: call
        )
        #expect(response.text == "hi")
        #expect(response.created == 42)
        let stream = try GoogleFixtures.parseStream(
            adapter, call: call,
            body: GoogleFixtures.event(
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]},"finishReason":"STOP"}]}"#)
        )
        #expect(stream.map(\.text) == ["hi"])
        let error = adapter.classifyError(
            status: 429, headers: [:],
            body: ByteBuffer(
                string:
                    #"{"error":{"code":429,"message":"Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model","status":"RESOURCE_EXHAUSTED"}}"#
            ),
            for: call
        )
        #expect(error.code == .upstreamRateLimited)
        #expect(error.message.hasPrefix("vertex_ai: Quota exceeded"))
        var truncated = adapter.makeStreamParser(for: call)
        #expect(throws: GatewayError.self) { try truncated.finish() }
    }

    @Test(
        "Claude on Vertex: the Anthropic body without model and with anthropic_version, on rawPredict with the bearer token"
    )
    func claudeRequest() throws {
        let inner = InnerAnthropicDouble()
        let adapter = VertexAIAdapter(anthropic: inner)
        let secret = VertexFixtures.serviceAccount(tokenURI: "http://127.0.0.1:1/token")
        let call = authorized(VertexFixtures.call("claude-sonnet-4@20250514", secret: secret, location: "us-east5"))
        let built = try adapter.makeRequest(ChatRequest(messages: [.user("Hello")], maxTokens: 256), for: call)
        #expect(
            built.url
                == "https://us-east5-aiplatform.googleapis.com/v1/projects/test-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514:rawPredict"
        )
        #expect(
            GoogleFixtures.json(built.body)
                == GoogleFixtures.json(
                    #"{"anthropic_version":"vertex-2023-10-16","max_tokens":256,"messages":[{"role":"user","content":"Hello"}]}"#
                )
        )
        #expect(built.headers[.authorization] == "Bearer \(Self.token.reveal())")
        #expect(built.headers[HTTPField.Name("x-api-key")!] == nil)
        #expect(built.headers[HTTPField.Name("anthropic-version")!] == nil)
        #expect(built.headers[HTTPField.Name("anthropic-beta")!] == "fine-grained-tool-streaming-2025-05-14")
        // The inner adapter never sees the service account or the access token.
        let seen = try #require(inner.seen.withLock { $0.first })
        #expect(seen.secret?.reveal() != secret)
        #expect(seen.accessToken == nil)

        var streaming = call
        streaming.stream = true
        let streamed = try adapter.makeRequest(ChatRequest(messages: [.user("Hello")], maxTokens: 256), for: streaming)
        #expect(streamed.url.hasSuffix("/publishers/anthropic/models/claude-sonnet-4@20250514:streamRawPredict"))
        #expect(GoogleFixtures.json(streamed.body)["stream"] == .bool(true))
        #expect(GoogleFixtures.json(streamed.body)["model"] == nil)
    }

    @Test("Claude on Vertex parses with the Anthropic adapter and classifies Google bodies itself")
    func claudeParsing() throws {
        let adapter = VertexAIAdapter(anthropic: InnerAnthropicDouble())
        let call = authorized(VertexFixtures.call("claude-3-5-haiku@20241022", stream: true, secret: "{}"))
        let response = try adapter.parseResponse(
            GoogleFixtures.response(#"{"content":[{"type":"text","text":"Hi!"}]}"#), for: call)
        #expect(response.text == "Hi!")
        var parser = adapter.makeStreamParser(for: call)
        #expect(try parser.parse(ByteBuffer(string: "event: ping")).map(\.text) == ["event: ping"])
        let anthropicError = adapter.classifyError(
            status: 529, headers: [:],
            body: ByteBuffer(string: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#),
            for: call
        )
        #expect(anthropicError.message == "anthropic double: 529")
        let googleError = adapter.classifyError(
            status: 429, headers: [:],
            body: ByteBuffer(
                string: #"{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}"#),
            for: call
        )
        #expect(googleError.code == .upstreamRateLimited)
        #expect(googleError.message == "vertex_ai: Quota exceeded")
    }

    @Test("Claude on Vertex without an Anthropic adapter is unavailable, so the router moves on")
    func claudeWithoutAdapter() {
        let adapter = VertexAIAdapter()
        let call = authorized(VertexFixtures.call("claude-sonnet-4", secret: "{}"))
        let error = #expect(throws: GatewayError.self) {
            try adapter.makeRequest(.init(messages: [.user("hi")]), for: call)
        }
        #expect(error?.code == .upstream)
        #expect(error?.failureClass == .unavailable)
        var parser = adapter.makeStreamParser(for: call)
        #expect(throws: GatewayError.self) { try parser.parse(ByteBuffer(string: "x")) }
    }
}
