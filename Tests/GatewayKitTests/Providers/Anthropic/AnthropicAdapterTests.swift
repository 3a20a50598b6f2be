@testable import GatewayKit
import HTTPTypes
import NIOCore
import Testing

@Suite struct AnthropicAdapterTests {
    typealias F = AnthropicFixtures

    static let weatherTool = ChatTool(
        name: "get_weather", description: "Current weather",
        parameters: .object([
            "type": .string("object"), "properties": .object(["city": .object(["type": .string("string")])]),
            "required": .array([.string("city")]),
        ])
    )

    @Test("builds the documented request: URL, headers and the tool conversation body")
    func documentedRequest() throws {
        var request = ChatRequest(
            messages: [
                .system("You are terse."), .user("Weather in Paris?"),
                ChatMessage(
                    role: .assistant, content: nil,
                    toolCalls: [ToolCall(id: "toolu_01A", name: "get_weather", arguments: "{\"city\":\"Paris\"}")]
                ),
                .tool(callID: "toolu_01A", "18C"),
            ],
            maxTokens: 512, tools: [Self.weatherTool]
        )
        request.model = "my-endpoint-slug"
        let built = try F.adapter.makeRequest(request, for: F.call())
        #expect(built.method == .post)
        #expect(built.url == "https://api.anthropic.com/v1/messages")
        #expect(built.headers[HTTPField.Name("x-api-key")!] == F.secret)
        #expect(built.headers[HTTPField.Name("anthropic-version")!] == "2023-06-01")
        #expect(built.headers[.contentType] == "application/json")
        #expect(built.headers[.authorization] == nil)
        let expected = try F.json(
            """
            {"model":"claude-sonnet-4-5","max_tokens":512,"system":"You are terse.",
             "messages":[{"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"city":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A","content":"18C"}]}],
             "tools":[{"name":"get_weather","description":"Current weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}
            """
        )
        #expect(try F.json(built.body) == expected)
    }

    @Test("uses the key's base URL and API version, and asks for a stream")
    func keySettingsAndStream() throws {
        for base in ["http://127.0.0.1:9999", "http://127.0.0.1:9999/", "http://127.0.0.1:9999/v1"] {
            let call = F.call(stream: true, baseURL: base, apiVersion: "2024-01-01")
            let built = try F.adapter.makeRequest(.user("hi"), for: call)
            #expect(built.url == "http://127.0.0.1:9999/v1/messages")
            #expect(built.headers[HTTPField.Name("anthropic-version")!] == "2024-01-01")
            #expect(built.headers[.accept] == "text/event-stream")
            #expect(try F.json(built.body)["stream"] == .bool(true))
        }
    }

    @Test("merges consecutive same-role messages and lifts system and developer messages")
    func mergesTurns() throws {
        let request = ChatRequest(messages: [
            .system("Be brief."), ChatMessage(role: .developer, content: .text("Answer in French.")),
            .user("Hello"), .user("Are you there?"),
            ChatMessage(
                role: .assistant, content: .text("Let me look."),
                toolCalls: [
                    ToolCall(id: "t1", name: "a", arguments: ""), ToolCall(id: "t2", name: "b", arguments: "{\"x\":1}"),
                ]
            ),
            .tool(callID: "t1", "one"), .tool(callID: "t2", "two"), .user("Thanks"),
        ])
        let body = try F.body(request)
        let expected = try F.json(
            """
            {"model":"claude-sonnet-4-5","max_tokens":4096,
             "system":[{"type":"text","text":"Be brief."},{"type":"text","text":"Answer in French."}],
             "messages":[
              {"role":"user","content":[{"type":"text","text":"Hello"},{"type":"text","text":"Are you there?"}]},
              {"role":"assistant","content":[{"type":"text","text":"Let me look."},
                {"type":"tool_use","id":"t1","name":"a","input":{}},{"type":"tool_use","id":"t2","name":"b","input":{"x":1}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"one"},
                {"type":"tool_result","tool_use_id":"t2","content":"two"},{"type":"text","text":"Thanks"}]}]}
            """
        )
        #expect(body == expected)
    }

    @Test("maps image URLs and base64 data URLs to image blocks")
    func images() throws {
        let message = ChatMessage(
            role: .user,
            content: .parts([
                .text("What is this?"), .imageURL(url: "https://example.com/cat.png", detail: "high"),
                .imageURL(url: "data:image/png;base64,iVBORw0KGgo=", detail: nil),
            ])
        )
        let body = try F.body(ChatRequest(messages: [message]))
        let expected = try F.json(
            """
            [{"role":"user","content":[{"type":"text","text":"What is this?"},
              {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]
            """
        )
        #expect(body["messages"] == expected)
        let bad = ChatRequest(messages: [
            ChatMessage(role: .user, content: .parts([.imageURL(url: "data:image/png,rawbytes", detail: nil)]))
        ])
        let error = try #require(throws: GatewayError.self) { try F.body(bad) }
        #expect(error.code == .invalidRequest)
    }

    @Test("maps tool_choice and parallel_tool_calls", arguments: [
        (ToolChoice?.some(.auto), Bool?.none, #"{"type":"auto"}"#),
        (.some(.required), nil, #"{"type":"any"}"#),
        (.some(.function("get_weather")), nil, #"{"type":"tool","name":"get_weather"}"#),
        (.some(.none), nil, #"{"type":"none"}"#),
        (.some(.required), false, #"{"type":"any","disable_parallel_tool_use":true}"#),
        (nil, false, #"{"type":"auto","disable_parallel_tool_use":true}"#),
    ])
    func toolChoice(choice: ToolChoice?, parallel: Bool?, expected: String) throws {
        var request = ChatRequest(messages: [.user("hi")], tools: [Self.weatherTool], toolChoice: choice)
        request.parallelToolCalls = parallel
        #expect(try F.body(request)["tool_choice"] == F.json(expected))
    }

    @Test("sends sampling options, stop sequences, the user and known extra fields")
    func options() throws {
        var request = ChatRequest(messages: [.user("hi")], temperature: 1.7)
        request.topP = 0.9
        request.stop = ["END", "STOP"]
        request.user = "user-42"
        request.seed = 7
        request.extra = ["top_k": .int(5), "logit_bias": .object([:])]
        let body = try F.body(request)
        #expect(body["max_tokens"] == .int(4096))
        #expect(body["temperature"]?.doubleValue == 1)
        #expect(body["top_p"] == .double(0.9))
        #expect(body["stop_sequences"] == .array([.string("END"), .string("STOP")]))
        #expect(body["metadata"] == .object(["user_id": .string("user-42")]))
        #expect(body["top_k"] == .int(5))
        #expect(body["seed"] == nil)
        #expect(body["logit_bias"] == nil)
        #expect(body["stream"] == nil)
        let custom = AnthropicAdapter(configuration: .init(defaultMaxTokens: 1024))
        #expect(try F.json(custom.makeRequest(.user("hi"), for: F.call()).body)["max_tokens"] == .int(1024))
    }

    @Test("rejects what Anthropic cannot express, and a call without a key")
    func rejects() throws {
        let badArguments = ChatRequest(messages: [
            .user("hi"), ChatMessage(role: .assistant, content: nil, toolCalls: [ToolCall(id: "t", name: "f", arguments: "[1,2]")]),
        ])
        #expect(throws: GatewayError.self) { try F.body(badArguments) }
        let noID = ChatRequest(messages: [.user("hi"), ChatMessage(role: .tool, content: .text("x"))])
        let error = try #require(throws: GatewayError.self) { try F.body(noID) }
        #expect(error.field == "messages[1].tool_call_id")
        let noKey = try #require(throws: GatewayError.self) { try F.adapter.makeRequest(.user("hi"), for: F.call(secret: nil)) }
        #expect(noKey.code == .upstreamAuthFailed)
    }

    @Test("builds the Vertex body: no model, anthropic_version in the body")
    func vertexBody() throws {
        let body = try F.json(
            F.adapter.makeBody(
                ChatRequest(messages: [.user("Hello")], maxTokens: 256), model: nil,
                anthropicVersion: AnthropicAdapter.vertexBodyVersion, stream: true
            )
        )
        let expected = try F.json(
            #"{"anthropic_version":"vertex-2023-10-16","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"Hello"}]}"#
        )
        #expect(body == expected)
    }
}
