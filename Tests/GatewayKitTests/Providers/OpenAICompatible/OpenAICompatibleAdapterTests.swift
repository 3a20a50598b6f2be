import Foundation
import GatewayKit
import NIOCore
import Testing

private typealias Support = OpenAICompatibleTestSupport

@Suite struct OpenAICompatibleAdapterTests {
    private func parse(_ body: String, provider: Provider = .openai, status: Int = 200) throws -> ChatResponse {
        let call = try Support.call("openai/gpt-4o-mini")
        return try OpenAICompatibleAdapter(provider: provider)
            .parseResponse(UpstreamResponse(status: status, body: ByteBuffer(string: body)), for: call)
    }

    @Test("parses the chat.completion text answer with its usage details")
    func textResponse() throws {
        // PROVIDERS.md §1.3.
        let response = try parse(
            #"""
            {"id":"chatcmpl-abc","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":"18 °C and sunny.","refusal":null},
                         "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":52,"completion_tokens":7,"total_tokens":59,
                      "prompt_tokens_details":{"cached_tokens":0},
                      "completion_tokens_details":{"reasoning_tokens":0}},
             "system_fingerprint":"fp_x","service_tier":"default"}
            """#
        )
        #expect(response.id == "chatcmpl-abc")
        #expect(response.created == 1_700_000_000)
        #expect(response.model == "gpt-4o-mini-2024-07-18")
        #expect(response.text == "18 °C and sunny.")
        #expect(response.choices.first?.message.role == .assistant)
        #expect(response.choices.first?.finishReason == .stop)
        #expect(
            response.usage
                == Usage(promptTokens: 52, completionTokens: 7, totalTokens: 59, cachedTokens: 0, reasoningTokens: 0)
        )
    }

    @Test("parses cached and reasoning token counts")
    func usageDetails() throws {
        let response = try parse(
            #"""
            {"id":"chatcmpl-r","object":"chat.completion","created":1,"model":"o4-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"42"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":2048,"completion_tokens":300,"total_tokens":2348,
                      "prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},
                      "completion_tokens_details":{"reasoning_tokens":256,"accepted_prediction_tokens":0}}}
            """#
        )
        #expect(response.usage?.cachedTokens == 1920)
        #expect(response.usage?.reasoningTokens == 256)
        #expect(response.usage?.totalTokens == 2348)
    }

    @Test("parses tool calls with null content")
    func toolCallResponse() throws {
        let response = try parse(
            #"""
            {"id":"chatcmpl-t","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,
               "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
               "finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":60,"completion_tokens":15,"total_tokens":75}}
            """#
        )
        #expect(response.toolCalls == [ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Paris"}"#)])
        #expect(response.choices.first?.message.content == nil)
        #expect(response.choices.first?.finishReason == .toolCalls)
        #expect(response.usage == Usage(promptTokens: 60, completionTokens: 15))
    }

    @Test("turns an error object in a 200 body into a classified error")
    func errorInSuccessBody() throws {
        let error = try #require(throws: GatewayError.self) {
            try parse(
                #"{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation have exceeded token rate limit."}}"#,
                provider: .azure
            )
        }
        #expect(error.code == .upstreamRateLimited)
        #expect(
            error.message
                == "Azure OpenAI: Requests to the ChatCompletions_Create Operation have exceeded token rate limit.")

        let server = try #require(throws: GatewayError.self) {
            try parse(#"{"error":{"message":"The server had an error","type":"server_error","code":null}}"#)
        }
        #expect(server.code == .upstream)
        #expect(server.failureClass == .transient)
    }

    @Test("reports a body that is not a chat completion as an upstream failure")
    func notACompletion() throws {
        for body in ["<html>oops</html>", #"{"id":"x","object":"list","data":[]}"#, ""] {
            let error = try #require(throws: GatewayError.self) { try parse(body) }
            #expect(error.code == .upstream)
            #expect(error.message == "OpenAI answered with a body that is not a chat completion")
            #expect(error.underlying != nil)
        }
    }
}
