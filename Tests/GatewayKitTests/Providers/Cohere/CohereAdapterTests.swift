@testable import GatewayKit
import HTTPTypes
import NIOCore
import Testing

@Suite struct CohereAdapterTests {
    typealias F = CohereFixtures

    static let weatherTool = ChatTool(
        name: "get_weather", description: "Current weather",
        parameters: .object([
            "type": .string("object"), "properties": .object(["city": .object(["type": .string("string")])]),
            "required": .array([.string("city")]),
        ])
    )

    @Test("builds the documented request: URL, bearer auth and the tool conversation body")
    func documentedRequest() throws {
        var request = ChatRequest(
            messages: [
                .system("You are terse."), .user("Weather in Paris?"),
                ChatMessage(
                    role: .assistant, content: .text("I will call get_weather."),
                    toolCalls: [ToolCall(id: "get_weather_1a2b", name: "get_weather", arguments: "{\"city\":\"Paris\"}")]
                ),
                .tool(callID: "get_weather_1a2b", "{\"temp_c\":18}"),
            ],
            maxTokens: 300, temperature: 0.3, tools: [Self.weatherTool]
        )
        request.stop = ["END"]
        let built = try F.adapter.makeRequest(request, for: F.call())
        #expect(built.method == .post)
        #expect(built.url == "https://api.cohere.com/v2/chat")
        #expect(built.headers[.authorization] == "Bearer " + F.secret)
        #expect(built.headers[.contentType] == "application/json")
        let expected = try F.json(
            """
            {"model":"command-a-03-2025","max_tokens":300,"temperature":0.3,"stop_sequences":["END"],
             "messages":[
              {"role":"system","content":"You are terse."},
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","tool_plan":"I will call get_weather.",
               "tool_calls":[{"id":"get_weather_1a2b","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
              {"role":"tool","tool_call_id":"get_weather_1a2b","content":"{\\"temp_c\\":18}"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
               "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]}
            """
        )
        #expect(try F.json(built.body) == expected)
    }

    @Test("uses the key's base URL and asks for a stream")
    func baseURLAndStream() throws {
        for base in ["http://127.0.0.1:9999", "http://127.0.0.1:9999/", "http://127.0.0.1:9999/v2", "http://127.0.0.1:9999/v1"] {
            let built = try F.adapter.makeRequest(.user("hi"), for: F.call(stream: true, baseURL: base))
            #expect(built.url == "http://127.0.0.1:9999/v2/chat")
            #expect(built.headers[.accept] == "text/event-stream")
            #expect(try F.json(built.body)["stream"] == .bool(true))
        }
    }

    @Test("maps sampling options, response formats, images, developer messages and extra fields")
    func options() throws {
        var request = ChatRequest(
            messages: [
                ChatMessage(role: .developer, content: .text("Be exact.")),
                ChatMessage(role: .user, content: .parts([.text("What is it?"), .imageURL(url: "https://x/cat.png", detail: "low")])),
            ],
            responseFormat: .jsonSchema(name: "answer", schema: .object(["type": .string("object")]), strict: true)
        )
        request.topP = 0.8
        request.seed = 42
        request.frequencyPenalty = 0.1
        request.presencePenalty = 0.2
        request.extra = ["k": .int(10), "safety_mode": .string("STRICT"), "logit_bias": .object([:])]
        let body = try F.body(request)
        #expect(body["p"] == .double(0.8))
        #expect(body["seed"] == .int(42))
        #expect(body["frequency_penalty"] == .double(0.1))
        #expect(body["presence_penalty"] == .double(0.2))
        #expect(body["k"] == .int(10))
        #expect(body["safety_mode"] == .string("STRICT"))
        #expect(body["logit_bias"] == nil)
        #expect(body["max_tokens"] == nil)
        #expect(body["response_format"] == (try F.json(#"{"type":"json_object","json_schema":{"type":"object"}}"#)))
        let expectedMessages = try F.json(
            """
            [{"role":"system","content":"Be exact."},
             {"role":"user","content":[{"type":"text","text":"What is it?"},{"type":"image_url","image_url":{"url":"https://x/cat.png","detail":"low"}}]}]
            """
        )
        #expect(body["messages"] == expectedMessages)
        request.responseFormat = .jsonObject
        #expect(try F.body(request)["response_format"] == .object(["type": .string("json_object")]))
    }

    @Test("maps tool_choice; a named function keeps only that tool", arguments: [
        (ToolChoice?.some(.required), "REQUIRED", 2), (.some(.none), "NONE", 2), (.some(.auto), nil, 2), (nil, nil, 2),
        (.some(.function("now")), "REQUIRED", 1),
    ])
    func toolChoice(choice: ToolChoice?, expected: String?, toolCount: Int) throws {
        let request = ChatRequest(
            messages: [.user("hi")], tools: [Self.weatherTool, ChatTool(name: "now")], toolChoice: choice
        )
        let body = try F.body(request)
        #expect(body["tool_choice"] == expected.map(JSONValue.string))
        #expect(body["tools"]?.arrayValue?.count == toolCount)
        if toolCount == 1 { #expect(body["tools"]?.arrayValue?.first?["function"]?["name"] == .string("now")) }
    }

    @Test("rejects a tool message without its call id, an unknown role and a call without a key")
    func rejects() throws {
        let noID = try #require(throws: GatewayError.self) {
            try F.body(ChatRequest(messages: [ChatMessage(role: .tool, content: .text("x"))]))
        }
        #expect(noID.field == "messages[0].tool_call_id")
        let role = try #require(throws: GatewayError.self) {
            try F.body(ChatRequest(messages: [ChatMessage(role: .init(rawValue: "function"), content: .text("x"))]))
        }
        #expect(role.code == .invalidRequest)
        let noKey = try #require(throws: GatewayError.self) { try F.adapter.makeRequest(.user("hi"), for: F.call(secret: nil)) }
        #expect(noKey.code == .upstreamAuthFailed)
    }
}
