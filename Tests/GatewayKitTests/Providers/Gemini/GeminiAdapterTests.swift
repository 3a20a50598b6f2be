import GatewayKit
import HTTPTypes
import NIOCore
import Testing

@Suite struct GeminiAdapterTests {
    let adapter = GeminiAdapter(now: { 1_700_000_000 })

    @Test("builds generateContent on the default origin with the key in x-goog-api-key")
    func basicRequest() throws {
        var request = ChatRequest(
            messages: [.system("You are terse."), .user("Weather in Paris?")], maxTokens: 256, temperature: 0.2)
        request.topP = 0.9
        request.stop = ["END"]
        request.seed = 7
        let built = try adapter.makeRequest(request, for: GoogleFixtures.call("gemini-2.5-flash"))
        #expect(built.method == .post)
        #expect(built.url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent")
        #expect(built.headers[HTTPField.Name("x-goog-api-key")!] == GoogleFixtures.apiKey)
        #expect(built.headers[.contentType] == "application/json")
        #expect(built.headers[.authorization] == nil)
        #expect(
            GoogleFixtures.json(built.body)
                == GoogleFixtures.json(
                    """
                    {"systemInstruction":{"parts":[{"text":"You are terse."}]},
                     "contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]}],
                     "generationConfig":{"maxOutputTokens":256,"temperature":0.2,"topP":0.9,"stopSequences":["END"],"seed":7}}
                    """
                )
        )
    }

    @Test("streams on streamGenerateContent?alt=sse under the key's base URL")
    func streamURL() throws {
        let call = GoogleFixtures.call(
            "gemini-2.0-flash", stream: true, settings: .init(baseURL: "http://127.0.0.1:9999/"))
        let built = try adapter.makeRequest(.init(messages: [.user("hi")]), for: call)
        #expect(built.url == "http://127.0.0.1:9999/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse")
    }

    @Test("maps tools, tool calls and tool results (matched by function name) to Gemini's function parts")
    func toolConversation() throws {
        let weather = ChatTool(
            name: "get_weather", description: "Current weather",
            parameters: GoogleFixtures.json(
                #"{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,"properties":{"city":{"type":"string"}},"required":["city"]}"#
            )
        )
        let request = ChatRequest(
            messages: [
                .user("Weather in Paris and Rome?"),
                ChatMessage(
                    role: .assistant, content: nil,
                    toolCalls: [
                        ToolCall(id: "call_a", name: "get_weather", arguments: #"{"city":"Paris"}"#),
                        ToolCall(id: "call_b", name: "get_time", arguments: ""),
                    ]
                ),
                .tool(callID: "call_a", #"{"temp_c":18}"#),
                .tool(callID: "call_b", "noon"),
            ],
            tools: [weather], toolChoice: .auto
        )
        let built = try adapter.makeRequest(request, for: GoogleFixtures.call("gemini-2.5-flash"))
        #expect(
            GoogleFixtures.json(built.body)
                == GoogleFixtures.json(
                    """
                    {"contents":[
                      {"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},
                      {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
                                               {"functionCall":{"name":"get_time","args":{}}}]},
                      {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"temp_c":18}}},
                                              {"functionResponse":{"name":"get_time","response":{"content":"noon"}}}]}],
                     "tools":[{"functionDeclarations":[{"name":"get_weather","description":"Current weather",
                       "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}],
                     "toolConfig":{"functionCallingConfig":{"mode":"AUTO"}}}
                    """
                )
        )
    }

    @Test(
        "maps tool_choice to functionCallingConfig",
        arguments: [
            (ToolChoice.none, #"{"mode":"NONE"}"#), (.auto, #"{"mode":"AUTO"}"#), (.required, #"{"mode":"ANY"}"#),
            (.function("get_weather"), #"{"mode":"ANY","allowedFunctionNames":["get_weather"]}"#),
        ]
    )
    func toolChoice(choice: ToolChoice, expected: String) throws {
        let request = ChatRequest(messages: [.user("hi")], tools: [ChatTool(name: "get_weather")], toolChoice: choice)
        let body = GoogleFixtures.json(
            try adapter.makeRequest(request, for: GoogleFixtures.call("gemini-2.5-flash")).body)
        #expect(body["toolConfig"]?["functionCallingConfig"] == GoogleFixtures.json(expected))
        #expect(body["tools"] == GoogleFixtures.json(#"[{"functionDeclarations":[{"name":"get_weather"}]}]"#))
    }

    @Test("maps response_format to responseMimeType and responseSchema")
    func responseFormat() throws {
        var request = ChatRequest(messages: [.user("hi")], responseFormat: .jsonObject)
        var config = GoogleFixtures.json(try adapter.makeRequest(request, for: GoogleFixtures.call("m")).body)[
            "generationConfig"]
        #expect(config == GoogleFixtures.json(#"{"responseMimeType":"application/json"}"#))
        request.responseFormat = .jsonSchema(
            name: "answer",
            schema: GoogleFixtures.json(
                #"{"type":"object","properties":{"n":{"type":"integer"}},"additionalProperties":false}"#),
            strict: true
        )
        config =
            GoogleFixtures.json(try adapter.makeRequest(request, for: GoogleFixtures.call("m")).body)[
                "generationConfig"]
        #expect(
            config
                == GoogleFixtures.json(
                    #"{"responseMimeType":"application/json","responseSchema":{"type":"object","properties":{"n":{"type":"integer"}}}}"#
                )
        )
    }

    @Test("sends data-URL images inline and other image URLs as file data")
    func images() throws {
        let message = ChatMessage(
            role: .user,
            content: .parts([
                .text("What is in these?"), .imageURL(url: "data:image/png;base64,iVBORw0KGgo=", detail: "low"),
                .imageURL(url: "https://generativelanguage.googleapis.com/v1beta/files/abc.webp", detail: nil),
            ])
        )
        let body = GoogleFixtures.json(
            try adapter.makeRequest(.init(messages: [message]), for: GoogleFixtures.call("m")).body)
        #expect(
            body["contents"]
                == GoogleFixtures.json(
                    """
                    [{"role":"user","parts":[{"text":"What is in these?"},
                      {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
                      {"fileData":{"mimeType":"image/webp","fileUri":"https://generativelanguage.googleapis.com/v1beta/files/abc.webp"}}]}]
                    """
                )
        )
    }

    @Test("sends a thought signature carried in a tool call id back on the function call")
    func thoughtSignature() throws {
        let request = ChatRequest(messages: [
            .user("hi"),
            ChatMessage(
                role: .assistant, content: nil,
                toolCalls: [ToolCall(id: "call_r_0__thought__c2lnbmF0dXJl", name: "f", arguments: "{}")]),
            .tool(callID: "call_r_0__thought__c2lnbmF0dXJl", "ok"),
        ])
        let body = GoogleFixtures.json(try adapter.makeRequest(request, for: GoogleFixtures.call("m")).body)
        #expect(
            body["contents"]?.arrayValue?[1]
                == GoogleFixtures.json(
                    #"{"role":"model","parts":[{"functionCall":{"name":"f","args":{}},"thoughtSignature":"c2lnbmF0dXJl"}]}"#
                )
        )
    }

    @Test("rejects a tool result that answers no earlier call, and arguments that are not an object")
    func invalidToolMessages() {
        let orphan = ChatRequest(messages: [.user("hi"), .tool(callID: "call_x", "42")])
        let error = #expect(throws: GatewayError.self) {
            try adapter.makeRequest(orphan, for: GoogleFixtures.call("m"))
        }
        #expect(error?.code == .invalidRequest)
        #expect(error?.field == "messages")
        #expect(error?.message.contains("call_x") == true)
        let badArguments = ChatRequest(messages: [
            ChatMessage(role: .assistant, content: nil, toolCalls: [ToolCall(id: "c", name: "f", arguments: "[1]")])
        ])
        let bad = #expect(throws: GatewayError.self) {
            try adapter.makeRequest(badArguments, for: GoogleFixtures.call("m"))
        }
        #expect(bad?.code == .invalidRequest)
    }

    @Test("a key without a secret is a credential failure that names no secret")
    func missingSecret() {
        let error = #expect(throws: GatewayError.self) {
            try adapter.makeRequest(.init(messages: [.user("hi")]), for: GoogleFixtures.call("m", secret: nil))
        }
        #expect(error?.code == .upstreamAuthFailed)
    }
}
