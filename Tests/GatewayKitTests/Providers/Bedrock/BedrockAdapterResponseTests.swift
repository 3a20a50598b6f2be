import HTTPTypes
import NIOCore
import Testing

@testable import GatewayKit

@Suite struct BedrockAdapterResponseTests {
    typealias B = BedrockFixtures

    private func parse(_ body: String, headers: HTTPFields = [:]) throws -> ChatResponse {
        try B.adapter.parseResponse(.init(status: 200, headers: headers, body: ByteBuffer(string: body)), for: B.call())
    }

    @Test("parses a text answer with its stop reason, usage and request id")
    func text() throws {
        var headers = HTTPFields()
        if let name = HTTPField.Name("x-amzn-RequestId") { headers[name] = "req-123" }
        let response = try parse(
            #"""
            {"output":{"message":{"role":"assistant","content":[{"text":"18 °C in Paris."}]}},
             "stopReason":"end_turn","usage":{"inputTokens":30,"outputTokens":8,"totalTokens":38},"metrics":{"latencyMs":512}}
            """#,
            headers: headers
        )
        #expect(response.id == "bedrock-req-123")
        #expect(response.created == 1_705_320_000)
        #expect(response.model == B.model)
        #expect(response.text == "18 °C in Paris.")
        #expect(response.choices.first?.finishReason == .stop)
        #expect(response.usage == Usage(promptTokens: 30, completionTokens: 8, totalTokens: 38))
    }

    @Test("maps toolUse blocks to OpenAI tool calls with JSON-string arguments")
    func toolUse() throws {
        let response = try parse(
            #"""
            {"output":{"message":{"role":"assistant","content":[{"text":"Let me check."},
              {"toolUse":{"toolUseId":"tooluse_abc","name":"get_weather","input":{"city":"Paris","days":2}}}]}},
             "stopReason":"tool_use","usage":{"inputTokens":10,"outputTokens":5,"totalTokens":15}}
            """#
        )
        #expect(response.text == "Let me check.")
        #expect(
            response.toolCalls == [
                ToolCall(id: "tooluse_abc", name: "get_weather", arguments: #"{"city":"Paris","days":2}"#)
            ])
        #expect(response.choices.first?.finishReason == .toolCalls)
        #expect(response.id.hasPrefix("bedrock-"))
    }

    @Test("cache reads count as prompt tokens and as cached tokens")
    func cachedUsage() throws {
        let response = try parse(
            #"{"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn","usage":{"inputTokens":5,"outputTokens":2,"totalTokens":107,"cacheReadInputTokens":100}}"#
        )
        #expect(response.usage == Usage(promptTokens: 105, completionTokens: 2, totalTokens: 107, cachedTokens: 100))
    }

    @Test("every stop reason maps to an OpenAI finish reason")
    func stopReasons() {
        let cases: [(String, FinishReason)] = [
            ("end_turn", .stop), ("stop_sequence", .stop), ("max_tokens", .length),
            ("model_context_window_exceeded", .length), ("tool_use", .toolCalls),
            ("guardrail_intervened", .contentFilter), ("content_filtered", .contentFilter),
            ("malformed_model_output", FinishReason(rawValue: "malformed_model_output")),
        ]
        for (reason, expected) in cases { #expect(BedrockAdapter.finishReason(reason) == expected, "\(reason)") }
        #expect(BedrockAdapter.finishReason(nil) == nil)
    }

    @Test("a body that is not a Converse response is an upstream error")
    func malformed() {
        for body in [
            "not json", #"{"stopReason":"end_turn"}"#,
            #"{"output":{"message":{"content":[{"toolUse":{"name":"f"}}]}}}"#,
        ] {
            let error = #expect(throws: GatewayError.self) { try parse(body) }
            #expect(error?.code == .upstream, "\(body)")
        }
    }
}
