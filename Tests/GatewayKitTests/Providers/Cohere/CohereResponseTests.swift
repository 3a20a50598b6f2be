@testable import GatewayKit
import HTTPTypes
import NIOCore
import Testing

@Suite struct CohereResponseTests {
    typealias F = CohereFixtures

    @Test("parses the documented answer, with usage from usage.tokens")
    func textAnswer() throws {
        let reply = try F.parse(
            """
            {"id":"5a50480a-cf52-46f0-af01-53d18539bd31","finish_reason":"COMPLETE",
             "message":{"role":"assistant","content":[{"type":"text","text":"18 °C in Paris."}]},
             "usage":{"billed_units":{"input_tokens":9,"output_tokens":7},
                      "tokens":{"input_tokens":75,"output_tokens":7},"cached_tokens":0}}
            """
        )
        #expect(reply.id == "5a50480a-cf52-46f0-af01-53d18539bd31")
        #expect(reply.model == "command-a-03-2025")
        #expect(reply.created == 1_700_000_000)
        #expect(reply.text == "18 °C in Paris.")
        #expect(reply.choices.first?.finishReason == .stop)
        #expect(reply.usage == Usage(promptTokens: 75, completionTokens: 7, cachedTokens: 0))
    }

    @Test("parses tool calls, with the tool plan as content, and billed units when tokens are absent")
    func toolCalls() throws {
        let reply = try F.parse(
            """
            {"id":"r2","finish_reason":"TOOL_CALL",
             "message":{"role":"assistant","tool_plan":"I will call get_weather.",
              "tool_calls":[{"id":"get_weather_1a2b","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
             "usage":{"billed_units":{"input_tokens":9.0,"output_tokens":12}}}
            """
        )
        #expect(reply.choices.first?.finishReason == .toolCalls)
        #expect(reply.text == "I will call get_weather.")
        #expect(reply.toolCalls == [ToolCall(id: "get_weather_1a2b", name: "get_weather", arguments: #"{"city":"Paris"}"#)])
        #expect(reply.usage == Usage(promptTokens: 9, completionTokens: 12))
    }

    @Test("maps finish reasons", arguments: [
        ("COMPLETE", FinishReason.stop), ("STOP_SEQUENCE", .stop), ("MAX_TOKENS", .length), ("TOOL_CALL", .toolCalls),
        ("ERROR_TOXIC", .contentFilter), ("ERROR_LIMIT", .length),
    ])
    func finishReasons(reason: String, expected: FinishReason) throws {
        let reply = try F.parse(#"{"id":"r","finish_reason":"\#(reason)","message":{"content":[{"type":"text","text":"x"}]}}"#)
        #expect(reply.choices.first?.finishReason == expected)
    }

    @Test("a failed or timed-out generation is an error, never a complete answer")
    func errorFinishes() throws {
        let failed = try #require(throws: GatewayError.self) {
            try F.parse(#"{"id":"r","finish_reason":"ERROR","message":{"content":[{"type":"text","text":"partial"}]}}"#)
        }
        #expect(failed.code == .upstream)
        let timedOut = try #require(throws: GatewayError.self) {
            try F.parse(#"{"id":"r","finish_reason":"TIMEOUT","message":{"content":[]}}"#)
        }
        #expect(timedOut.code == .upstreamTimeout)
        let malformed = try #require(throws: GatewayError.self) { try F.parse("not json") }
        #expect(malformed.code == .upstream)
    }

    @Test("classifies each error status", arguments: [
        (400, #"{"message":"invalid request: message must be at least 1 token long"}"#, GatewayError.Code.upstreamRejected, FailureClass.callerFault),
        (401, #"{"message":"invalid api token"}"#, .upstreamAuthFailed, .credential),
        (402, #"{"message":"Please add a payment method"}"#, .upstreamAuthFailed, .quota),
        (403, #"{"message":"forbidden"}"#, .upstreamAuthFailed, .credential),
        (404, #"{"message":"model 'x' not found"}"#, .upstreamRejected, .callerFault),
        (422, #"{"message":"unprocessable"}"#, .upstreamRejected, .callerFault),
        (429, #"{"message":"You are past the per minute request limit, please wait and try again later."}"#, .upstreamRateLimited, .rateLimit),
        (429, #"{"message":"You are using a Trial key, which is limited to 1000 API calls / month."}"#, .upstreamAuthFailed, .quota),
        (498, #"{"message":"invalid token"}"#, .upstreamAuthFailed, .credential),
        (499, #"{"message":"request cancelled"}"#, .upstream, .transient),
        (500, #"{"message":"internal server error"}"#, .upstream, .transient),
        (501, #"{"message":"not implemented"}"#, .upstream, .transient),
        (503, #"{"message":"service unavailable"}"#, .upstream, .transient),
        (504, #"{"message":"gateway timeout"}"#, .upstreamTimeout, .timeout),
        (502, "<html>bad gateway</html>", .upstream, .transient),
    ])
    func errors(status: Int, body: String, code: GatewayError.Code, failureClass: FailureClass) {
        let error = F.classify(status, body)
        #expect(error.code == code)
        #expect(error.failureClass == failureClass)
        #expect(error.upstreamStatus == status)
        #expect(error.message.hasPrefix("Cohere"))
    }

    @Test("keeps Cohere's message and the retry-after hint, and never shows the key")
    func messageAndSecret() {
        let limited = F.classify(429, #"{"message":"slow down"}"#, headers: [HTTPField.Name("retry-after")!: "3"])
        #expect(limited.message == "Cohere: slow down")
        #expect(limited.retryAfter == .seconds(3))
        let echoed = F.classify(401, #"{"message":"invalid api token \#(F.secret)"}"#)
        let call = F.call()
        for text in [echoed.message, echoed.description, echoed.debugDescription, String(reflecting: call)] {
            #expect(!text.contains(F.secret))
        }
    }
}
