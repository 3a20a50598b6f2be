import Foundation
import GatewayKit
import Testing

/// Differential tests: the `init(json:)` fast path must give JSONDecoder's value whenever it gives
/// one, and must fail whenever JSONDecoder fails.
@Suite struct ChatJSONDecodingTests {
    /// Compares both paths on `bytes`; whether the fast path produced a value.
    @discardableResult
    private func agree<T: Decodable & Equatable>(
        _ type: T.Type, _ bytes: [UInt8], _ fast: (JSONValue) throws -> T,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Bool {
        let expected = try? JSONDecoder().decode(T.self, from: Data(bytes))
        let actual = try? fast(JSONParser.parse(bytes))
        let text = String(decoding: bytes, as: UTF8.self)
        if let actual {
            #expect(actual == expected, "fast path differs on \(text)", sourceLocation: sourceLocation)
        }
        if expected == nil {
            #expect(
                actual == nil, "fast path accepted what JSONDecoder rejects: \(text)", sourceLocation: sourceLocation)
        }
        return actual != nil
    }

    private func agree<T: Decodable & Equatable>(
        _ type: T.Type, _ text: String, _ fast: (JSONValue) throws -> T,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Bool {
        agree(type, Array(text.utf8), fast, sourceLocation: sourceLocation)
    }

    @Test("a full OpenAI request decodes the same both ways, extras included")
    func fullRequest() {
        let text = """
            {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},
            {"role":"user","content":[{"type":"text","text":"What is in this image?"},
            {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}},
            {"type":"image_url","image_url":"data:image/png;base64,AAAA"},{"type":"input_audio","input_audio":{"data":"AA"}}]},
            {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
            "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
            {"role":"tool","tool_call_id":"call_1","content":"sunny","name":"w","refusal":null}],
            "max_completion_tokens":100,"max_tokens":"ignored","temperature":0.7,"top_p":1,"stop":"END","seed":42,
            "user":"u","n":1,"presence_penalty":-0.5,"frequency_penalty":0.25,
            "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather",
            "parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}}],
            "tool_choice":{"type":"function","function":{"name":"get_weather"}},"parallel_tool_calls":false,
            "response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object"},"strict":true}},
            "stream":true,"stream_options":{"include_usage":true},"metadata":{"k":"v"},"logprobs":null}
            """
        #expect(agree(ChatRequest.self, text, ChatRequest.init(json:)))
    }

    @Test("request fields follow init(from:): nulls, stop forms, token-limit precedence, tool choices, formats")
    func requestVariants() {
        let messages = #""messages":[{"role":"user","content":"hi"}]"#
        let accepted = [
            "{\(messages)}", "{\(messages),\"stop\":[\"a\",\"b\"]}", "{\(messages),\"stop\":null}",
            "{\(messages),\"max_completion_tokens\":null,\"max_tokens\":5}", "{\(messages),\"temperature\":1}",
            "{\(messages),\"tool_choice\":\"any\"}", "{\(messages),\"tool_choice\":\"none\"}",
            "{\(messages),\"response_format\":{\"type\":\"json_object\"}}",
            "{\(messages),\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":null,\"strict\":1}}}",
            "{\(messages),\"stream_options\":{\"include_usage\":1}}", "{\(messages),\"stream_options\":[]}",
            "{\(messages),\"tools\":[{\"function\":{\"name\":\"f\",\"parameters\":null}}]}", "{\(messages),\"x\":null}",
            #"{"messages":[{"role":"user","content":[{"type":"text"},{"type":"image_url"},7,null]}]}"#,
        ]
        for text in accepted { #expect(agree(ChatRequest.self, text, ChatRequest.init(json:))) }
        let rejected = [
            "{}", "[]", #"{"messages":null}"#, #"{"messages":[{"content":"x"}]}"#, #"{"messages":[{"role":null}]}"#,
            "{\(messages),\"stop\":5}", "{\(messages),\"stop\":[1]}", "{\(messages),\"max_completion_tokens\":1.5}",
            "{\(messages),\"max_tokens\":\"5\"}", "{\(messages),\"tool_choice\":\"other\"}",
            "{\(messages),\"stream\":1}",
            "{\(messages),\"response_format\":{\"type\":\"xml\"}}", "{\(messages),\"temperature\":\"hot\"}",
            "{\(messages),\"tools\":[{\"function\":null}]}", #"{"messages":[{"role":"user","content":5}]}"#,
            #"{"messages":[{"role":"assistant","tool_calls":[{"function":{}}]}]}"#,
        ]
        for text in rejected { #expect(!agree(ChatRequest.self, text, ChatRequest.init(json:))) }
    }

    @Test("OpenAI's chat.completion example and its variants decode the same both ways")
    func responses() {
        let accepted = [
            """
            {"id":"chatcmpl-123","object":"chat.completion","created":1677652288,"model":"gpt-4o-mini",
            "system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"message":{"role":"assistant",
            "content":"Hello there, how may I assist you today?","refusal":null},"logprobs":null,"finish_reason":"stop"}],
            "usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21,
            "prompt_tokens_details":{"cached_tokens":3},"completion_tokens_details":{"reasoning_tokens":1}}}
            """,
            #"{"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}"#,
            #"{"choices":[],"usage":{"prompt_tokens_details":null,"completion_tokens_details":{"reasoning_tokens":"x"}}}"#,
            #"{"choices":[],"usage":{"prompt_tokens":1,"prompt_tokens_details":{"cached_tokens":1.5}},"id":null}"#,
            #"{"choices":[{"index":1,"message":{"role":"assistant","content":"a"},"finish_reason":""}],"usage":null}"#,
        ]
        for text in accepted { #expect(agree(ChatResponse.self, text, ChatResponse.init(json:))) }
        let rejected = [
            #"{"choices":null}"#, #"{"id":"x"}"#, #"{"choices":[{"message":{"role":"assistant"}}]}"#,
            #"{"choices":[{"index":0}]}"#, #"{"choices":[],"created":"now"}"#,
            #"{"choices":[],"usage":{"total_tokens":1.5}}"#,
            #"{"error":{"message":"bad","type":"invalid_request_error"}}"#,
        ]
        for text in rejected { #expect(!agree(ChatResponse.self, text, ChatResponse.init(json:))) }
    }

    @Test("stream chunks decode the same both ways, xAI's empty finish reason and vLLM's null choices included")
    func chunks() {
        let accepted = [
            #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}"#,
            #"{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]},"finish_reason":""}]}"#,
            #"{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":"{\"a"}}]}}]}"#,
            #"{"choices":null,"usage":{"prompt_tokens":5,"completion_tokens":7}}"#, #"{}"#, #"{"choices":[{}]}"#,
            #"{"choices":[{"delta":null,"finish_reason":"length","index":2}]}"#,
        ]
        for text in accepted { #expect(agree(ChatChunk.self, text, ChatChunk.init(json:))) }
        let rejected = [
            #"{"choices":[{"delta":{"tool_calls":[{"function":null}]}}]}"#, #"{"choices":{}}"#, "[]",
            #"{"choices":[{"delta":{"content":5}}]}"#, #"{"choices":[{"finish_reason":1}]}"#,
        ]
        for text in rejected { #expect(!agree(ChatChunk.self, text, ChatChunk.init(json:))) }
    }

    @Test("token counts whose sum overflows an Int saturate instead of trapping, on both paths")
    func usageOverflow() throws {
        let text = #"{"prompt_tokens":9223372036854775807,"completion_tokens":5}"#
        #expect(try JSONDecoder().decode(Usage.self, from: Data(text.utf8)).totalTokens == Int.max)
        #expect(agree(Usage.self, text, Usage.init(json:)))
        #expect(Usage(promptTokens: Int.min, completionTokens: -1).totalTokens == Int.min)
    }

    @Test("thousands of seeded random chat-shaped texts: the fast path equals JSONDecoder or fails")
    func randomDifferential() {
        // GATEWAYKIT_FUZZ_SEED explores other seeds locally; CI always runs the fixed one.
        var generator = ChatJSONGenerator(
            seed: UInt64(ProcessInfo.processInfo.environment["GATEWAYKIT_FUZZ_SEED"] ?? "") ?? 0x5EED_CAFE)
        var fastCount = 0
        let rounds = 1500
        for round in 0..<rounds {
            let rate = [0, 2, 5, 10][round % 4]
            var node = generator.request()
            var bytes = generator.render(generator.mutate(node, rate: rate))
            if agree(ChatRequest.self, bytes, ChatRequest.init(json:)) { fastCount += 1 }
            agree(JSONValue.self, bytes, { $0 })
            node = generator.response()
            bytes = generator.render(generator.mutate(node, rate: rate))
            if agree(ChatResponse.self, bytes, ChatResponse.init(json:)) { fastCount += 1 }
            agree(JSONValue.self, bytes, { $0 })
            node = generator.chunk()
            bytes = generator.render(generator.mutate(node, rate: rate))
            if agree(ChatChunk.self, bytes, ChatChunk.init(json:)) { fastCount += 1 }
            agree(JSONValue.self, bytes, { $0 })
        }
        // The fast path must carry most inputs, or this test would prove nothing.
        #expect(fastCount > rounds)
    }
}
