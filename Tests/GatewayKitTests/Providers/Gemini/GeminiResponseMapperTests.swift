import GatewayKit
import NIOCore
import Testing

@Suite struct GeminiResponseMapperTests {
    let adapter = GeminiAdapter(now: { 1_700_000_000 })
    let call = GoogleFixtures.call("gemini-2.5-flash")

    @Test("parses a text answer with its finish reason, id, model and usage")
    func textAnswer() throws {
        let response = try adapter.parseResponse(
            GoogleFixtures.response(
                """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Let me think","thought":true},{"text":"18 °C "},{"text":"in Paris."}]},
                   "finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":21,"candidatesTokenCount":7,"totalTokenCount":40,
                   "cachedContentTokenCount":16,"thoughtsTokenCount":12,
                   "promptTokensDetails":[{"modality":"TEXT","tokenCount":21}]},
                 "modelVersion":"gemini-2.5-flash-001","responseId":"mHjsaK7xLc6q"}
                """
            ),
            for: call
        )
        #expect(response.id == "mHjsaK7xLc6q")
        #expect(response.created == 1_700_000_000)
        #expect(response.model == "gemini-2.5-flash-001")
        #expect(response.text == "18 °C in Paris.")
        #expect(response.choices.first?.message.role == .assistant)
        #expect(response.choices.first?.finishReason == .stop)
        #expect(
            response.usage
                == Usage(promptTokens: 21, completionTokens: 19, totalTokens: 40, cachedTokens: 16, reasoningTokens: 12)
        )
    }

    @Test("turns function calls into tool calls with stable ids and finish reason tool_calls")
    func functionCalls() throws {
        let body = """
            {"candidates":[{"content":{"role":"model","parts":[
               {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"c2ln"},
               {"functionCall":{"name":"get_time","args":{}}}]},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":10,"totalTokenCount":40},"responseId":"r1"}
            """
        let first = try adapter.parseResponse(GoogleFixtures.response(body), for: call)
        let again = try adapter.parseResponse(GoogleFixtures.response(body), for: call)
        #expect(first.choices.first?.finishReason == .toolCalls)
        #expect(first.choices.first?.message.content == nil)
        #expect(first.toolCalls.map(\.name) == ["get_weather", "get_time"])
        #expect(first.toolCalls.map(\.id) == ["call_r1_0__thought__c2ln", "call_r1_1"])
        #expect(first.toolCalls.map(\.id) == again.toolCalls.map(\.id))
        #expect(GoogleFixtures.json(first.toolCalls[0].arguments) == GoogleFixtures.json(#"{"city":"Paris"}"#))
        #expect(first.toolCalls[1].arguments == "{}")
        #expect(Set(first.toolCalls.map(\.id)).count == 2)
    }

    @Test(
        "maps finishReason",
        arguments: [
            ("STOP", FinishReason.stop), ("MAX_TOKENS", .length), ("SAFETY", .contentFilter),
            ("RECITATION", .contentFilter),
            ("PROHIBITED_CONTENT", .contentFilter), ("BLOCKLIST", .contentFilter), ("SPII", .contentFilter),
            ("IMAGE_SAFETY", .contentFilter), ("OTHER", .stop), ("FINISH_REASON_UNSPECIFIED", .stop),
        ]
    )
    func finishReasons(raw: String, expected: FinishReason) throws {
        let response = try adapter.parseResponse(
            GoogleFixtures.response(
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"x"}]},"finishReason":"\#(raw)"}]}"#),
            for: call
        )
        #expect(response.choices.first?.finishReason == expected)
    }

    @Test("a blocked prompt is refused as the caller's fault, with the block reason")
    func blockedPrompt() {
        let error = #expect(throws: GatewayError.self) {
            try adapter.parseResponse(
                GoogleFixtures.response(#"{"promptFeedback":{"blockReason":"SAFETY"}}"#), for: call)
        }
        #expect(error?.code == .upstreamRejected)
        #expect(error?.failureClass == .callerFault)
        #expect(error?.message == "gemini: the prompt was blocked (SAFETY)")
    }

    @Test("a body that is not a GenerateContentResponse, or has no candidates, is an upstream failure")
    func malformed() {
        for body in ["<html>oops</html>", #"{"candidates":[]}"#, #"{"candidates":"many"}"#] {
            let error = #expect(throws: GatewayError.self) {
                try adapter.parseResponse(GoogleFixtures.response(body), for: call)
            }
            #expect(error?.code == .upstream)
            #expect(error?.failureClass == .transient)
        }
    }

    @Test("several candidates become several choices")
    func candidates() throws {
        let response = try adapter.parseResponse(
            GoogleFixtures.response(
                """
                {"candidates":[{"content":{"parts":[{"text":"a"}]},"finishReason":"STOP","index":0},
                               {"content":{"parts":[{"text":"b"}]},"finishReason":"MAX_TOKENS","index":1}]}
                """
            ),
            for: call
        )
        #expect(response.choices.map(\.message.text) == ["a", "b"])
        #expect(response.choices.map(\.index) == [0, 1])
        #expect(response.choices.map(\.finishReason) == [.stop, .length])
        #expect(response.model == "gemini-2.5-flash")
        #expect(!response.id.isEmpty)
    }
}
