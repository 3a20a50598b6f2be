@testable import GatewayKit
import HTTPTypes
import NIOCore
import Testing

@Suite struct AnthropicResponseTests {
    typealias F = AnthropicFixtures

    @Test("parses the documented text answer with usage")
    func textAnswer() throws {
        let reply = try F.parse(
            """
            {"id":"msg_01XYZ","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"text","text":"It is 18 °C."}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":40,"output_tokens":9,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"service_tier":"standard"}}
            """
        )
        #expect(reply.id == "msg_01XYZ")
        #expect(reply.model == "claude-sonnet-4-5")
        #expect(reply.created == 1_700_000_000)
        #expect(reply.text == "It is 18 °C.")
        #expect(reply.choices.first?.message.role == .assistant)
        #expect(reply.choices.first?.finishReason == .stop)
        #expect(reply.usage == Usage(promptTokens: 40, completionTokens: 9, cachedTokens: 0))
    }

    @Test("turns tool_use blocks into tool calls with JSON arguments")
    func toolUse() throws {
        let reply = try F.parse(
            """
            {"id":"msg_2","model":"claude-sonnet-4-5","content":[
              {"type":"thinking","thinking":"hmm","signature":"x"},
              {"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"city":"Paris","units":{"c":true}}},
              {"type":"tool_use","id":"toolu_01B","name":"now","input":{}}],
             "stop_reason":"tool_use","usage":{"input_tokens":5,"output_tokens":6}}
            """
        )
        #expect(reply.choices.first?.finishReason == .toolCalls)
        #expect(reply.choices.first?.message.content == nil)
        #expect(
            reply.toolCalls == [
                ToolCall(id: "toolu_01A", name: "get_weather", arguments: #"{"city":"Paris","units":{"c":true}}"#),
                ToolCall(id: "toolu_01B", name: "now", arguments: "{}"),
            ]
        )
    }

    @Test("maps every stop_reason", arguments: [
        ("end_turn", FinishReason.stop), ("stop_sequence", .stop), ("pause_turn", .stop), ("max_tokens", .length),
        ("model_context_window_exceeded", .length), ("tool_use", .toolCalls), ("refusal", .contentFilter),
    ])
    func stopReasons(reason: String, expected: FinishReason) throws {
        let reply = try F.parse(#"{"id":"m","content":[{"type":"text","text":"x"}],"stop_reason":"\#(reason)"}"#)
        #expect(reply.choices.first?.finishReason == expected)
    }

    @Test("counts cache reads and writes as prompt tokens and reports cache reads as cached")
    func cacheUsage() throws {
        let reply = try F.parse(
            #"{"id":"m","content":[],"stop_reason":"end_turn","usage":{"input_tokens":10,"output_tokens":3,"cache_creation_input_tokens":200,"cache_read_input_tokens":1000}}"#
        )
        #expect(reply.usage == Usage(promptTokens: 1210, completionTokens: 3, totalTokens: 1213, cachedTokens: 1000))
    }

    @Test("a body that is not a message is an upstream error")
    func malformed() throws {
        let error = try #require(throws: GatewayError.self) { try F.parse("<html>oops</html>") }
        #expect(error.code == .upstream)
    }

    @Test("classifies each documented error", arguments: [
        (400, #"{"type":"error","error":{"type":"invalid_request_error","message":"messages: field required"}}"#, GatewayError.Code.upstreamRejected, FailureClass.callerFault),
        (400, #"{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}}"#, .upstreamAuthFailed, .quota),
        (401, #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#, .upstreamAuthFailed, .credential),
        (402, #"{"type":"error","error":{"type":"billing_error","message":"billing"}}"#, .upstreamAuthFailed, .quota),
        (403, #"{"type":"error","error":{"type":"permission_error","message":"no access"}}"#, .upstreamAuthFailed, .credential),
        (404, #"{"type":"error","error":{"type":"not_found_error","message":"model: claude-x"}}"#, .upstreamRejected, .callerFault),
        (413, #"{"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum allowed number of bytes."}}"#, .upstreamRejected, .callerFault),
        (413, "<html>Cloudflare</html>", .upstreamRejected, .callerFault),
        (429, #"{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"},"request_id":"req_011"}"#, .upstreamRateLimited, .rateLimit),
        (429, #"{"type":"error","error":{"type":"rate_limit_error","message":"spend limit","details":{"error_code":"enforced_spend_limit_reached"}}}"#, .upstreamAuthFailed, .quota),
        (500, #"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#, .upstream, .transient),
        (504, #"{"type":"error","error":{"type":"timeout_error","message":"timeout"}}"#, .upstreamTimeout, .timeout),
        (529, #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#, .upstreamRateLimited, .rateLimit),
    ])
    func errors(status: Int, body: String, code: GatewayError.Code, failureClass: FailureClass) {
        let error = F.classify(status, body)
        #expect(error.code == code)
        #expect(error.failureClass == failureClass)
        #expect(error.upstreamStatus == status)
        #expect(error.message.hasPrefix("Anthropic"))
    }

    @Test("keeps the provider's message and the retry-after hint")
    func messageAndRetryAfter() {
        let error = F.classify(
            429, #"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#,
            headers: [HTTPField.Name("retry-after")!: "7"]
        )
        #expect(error.message == "Anthropic: slow down (rate_limit_error)")
        #expect(error.retryAfter == .seconds(7))
        let rejected = F.classify(400, #"{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: too big"}}"#)
        #expect(rejected.message == "Anthropic: max_tokens: too big (invalid_request_error)")
        #expect(rejected.retryAfter == nil)
    }

    @Test("never shows the API key, even when the provider echoes it")
    func secretNeverShown() throws {
        let echoed = F.classify(
            401, #"{"type":"error","error":{"type":"authentication_error","message":"invalid key \#(F.secret)"}}"#
        )
        let call = F.call()
        let texts = [
            echoed.message, echoed.description, echoed.debugDescription, String(describing: call),
            String(reflecting: call), String(describing: call.secret),
        ]
        for text in texts { #expect(!text.contains(F.secret)) }
        #expect(echoed.message.contains("<redacted>"))
        var parser = F.adapter.makeStreamParser(for: call)
        let inStream = #"event: error\#ndata: {"type":"error","error":{"type":"api_error","message":"bad \#(F.secret)"}}\#n\#n"#
        let streamError = try #require(throws: GatewayError.self) { try parser.parse(ByteBuffer(string: inStream)) }
        #expect(!streamError.message.contains(F.secret))
        #expect(!String(reflecting: streamError).contains(F.secret))
    }
}
