import GatewayKit
import NIOCore
import Testing

private typealias Support = OpenAICompatibleTestSupport

@Suite struct OpenAICompatibleStreamParserTests {
    private func parser(_ provider: Provider = .openai) throws -> any ProviderStreamParser {
        OpenAICompatibleAdapter(provider: provider).makeStreamParser(
            for: try Support.call("openai/gpt-4o-mini", stream: true))
    }

    /// Feeds `text` in pieces of `pieceSize` bytes (all at once when nil) and finishes.
    private func chunks(_ text: String, provider: Provider = .openai, pieceSize: Int? = nil) throws -> [ChatChunk] {
        var parser = try parser(provider)
        let bytes = Array(text.utf8)
        let size = max(1, pieceSize ?? bytes.count)
        var out: [ChatChunk] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + size)
            out += try parser.parse(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
        }
        return out + (try parser.finish())
    }

    @Test("reads the role chunk, content, finish and usage chunks of a text stream")
    func textStream() throws {
        let result = try chunks(SSEFixtures.openAIText)
        #expect(result.count == 4)
        #expect(result.allSatisfy { $0.id == "chatcmpl-abc" && $0.created == 1_700_000_000 })
        #expect(result[0].choices == [.init(delta: .init(role: .assistant, content: ""))])
        #expect(result[1].choices == [.init(delta: .init(content: "18 °C"))])
        #expect(result[2].choices == [.init(delta: .init(), finishReason: .stop)])
        #expect(result[3].choices.isEmpty)
        #expect(result[3].usage == Usage(promptTokens: 52, completionTokens: 7))
        #expect(result.prefix(3).allSatisfy { $0.usage == nil })
    }

    @Test("gives the same chunks whatever the split of the body")
    func splitAnywhere() throws {
        for fixture in [SSEFixtures.openAIText, SSEFixtures.openAIToolCall, SSEFixtures.openRouter] {
            let whole = try chunks(fixture)
            for size in [1, 2, 3, 7, 64] {
                #expect(try chunks(fixture, pieceSize: size) == whole, "pieces of \(size)")
            }
        }
    }

    @Test("reads tool-call fragments by index")
    func toolCallStream() throws {
        let result = try chunks(SSEFixtures.openAIToolCall)
        #expect(result.count == 5)
        #expect(
            result[0].choices.first?.delta
                == .init(
                    role: .assistant, toolCalls: [.init(index: 0, id: "call_1", name: "get_weather", arguments: "")])
        )
        #expect(result[1].choices.first?.delta.toolCalls == [.init(index: 0, arguments: #"{"city":"#)])
        #expect(result[2].choices.first?.delta.toolCalls == [.init(index: 0, arguments: #""Paris"}"#)])
        #expect(result[3].choices.first?.finishReason == .toolCalls)
        #expect(result[4].usage == Usage(promptTokens: 60, completionTokens: 15))
        let arguments = result.compactMap { $0.choices.first?.delta.toolCalls?.first?.arguments }.joined()
        #expect(arguments == #"{"city":"Paris"}"#)
    }

    @Test("skips OpenRouter's processing comments")
    func openRouterComments() throws {
        let result = try chunks(SSEFixtures.openRouter, provider: .openrouter)
        #expect(result.map(\.text) == ["Hi", " there"])
        #expect(result[1].usage?.totalTokens == 5)
    }

    @Test("ignores unknown fields, vLLM's null choices and Azure's empty preamble")
    func tolerantChunks() throws {
        let stream = SSEFixtures.stream([
            #"data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0}]}"#,
            #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"ok"},"logprobs":null,"finish_reason":null}],"obfuscation":"a1b2"}"#,
            #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop","stop_reason":null}]}"#,
            #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":null,"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}"#,
            "data: [DONE]",
        ])
        let result = try chunks(stream, provider: .hostedVLLM)
        #expect(result.count == 3)
        #expect(result[0].text == "ok")
        #expect(result[2].choices.isEmpty)
        #expect(result[2].usage == Usage(promptTokens: 3, completionTokens: 1))
    }

    @Test("stops at [DONE] and ignores anything after it")
    func afterDone() throws {
        var parser = try parser()
        let first = try parser.parse(ByteBuffer(string: SSEFixtures.openAIText))
        #expect(first.count == 4)
        #expect(try parser.parse(ByteBuffer(string: "data: {\"error\":{\"message\":\"late\"}}\n\n")) == [])
        #expect(try parser.finish() == [])
    }

    @Test("throws the classified error when an error event arrives mid-stream")
    func errorEvent() throws {
        var parser = try parser()
        let head = SSEFixtures.stream([
            #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}"#
        ])
        #expect(try parser.parse(ByteBuffer(string: head)).count == 1)
        let error = try #require(throws: GatewayError.self) {
            try parser.parse(
                ByteBuffer(
                    string:
                        #"data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}"#
                        + "\n\n")
            )
        }
        #expect(error.code == .upstream)
        #expect(error.failureClass == .transient)
        #expect(error.message == "OpenAI: The server had an error while processing your request.")
    }

    @Test("classifies OpenRouter's in-stream error by its numeric code")
    func openRouterErrorEvent() throws {
        let stream = SSEFixtures.stream([
            ": OPENROUTER PROCESSING",
            #"data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"openai/gpt-4o","provider":"OpenAI","error":{"code":429,"message":"Rate limit exceeded upstream"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}"#,
        ])
        let error = try #require(throws: GatewayError.self) { try chunks(stream, provider: .openrouter) }
        #expect(error.code == .upstreamRateLimited)
        #expect(error.message == "OpenRouter: Rate limit exceeded upstream")
    }

    @Test("fails a stream that ends without [DONE] and without a finish reason")
    func truncatedStream() throws {
        let cut = SSEFixtures.stream([
            #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Par"},"finish_reason":null}]}"#
        ])
        var parser = try parser()
        #expect(try parser.parse(ByteBuffer(string: cut)).count == 1)
        let error = try #require(throws: GatewayError.self) { try parser.finish() }
        #expect(error.code == .upstream)
        #expect(error.failureClass == .transient)

        var empty = try self.parser()
        #expect(throws: GatewayError.self) { try empty.finish() }
    }

    @Test("accepts a stream that ends after a finish reason without [DONE], flushing an unterminated last event")
    func finishedWithoutDone() throws {
        let stream =
            SSEFixtures.stream([
                #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"llama3.2","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}"#
            ])
            + #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"llama3.2","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#
        let result = try chunks(stream, provider: .ollama)
        #expect(result.count == 2)
        #expect(result[1].choices.first?.finishReason == .stop)
    }

    @Test("reports an event that is not a chunk as an upstream failure")
    func malformedEvent() throws {
        let error = try #require(throws: GatewayError.self) { try chunks("data: {not json\n\n") }
        #expect(error.code == .upstream)
        #expect(error.underlying != nil)
    }
}
