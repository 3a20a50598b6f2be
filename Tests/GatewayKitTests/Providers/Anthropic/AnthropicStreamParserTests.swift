@testable import GatewayKit
import NIOCore
import Testing

@Suite struct AnthropicStreamParserTests {
    typealias F = AnthropicFixtures

    static func chunk(_ delta: ChatChunk.Delta, finish: FinishReason? = nil, usage: Usage? = nil) -> ChatChunk {
        var chunk = ChatChunk(
            id: "msg_01XYZ", created: 1_700_000_000, model: "claude-sonnet-4-5",
            choices: [.init(delta: delta, finishReason: finish)]
        )
        chunk.usage = usage
        return chunk
    }

    @Test("turns every documented event into chunks, tool-call fragments included")
    func documentedStream() throws {
        let chunks = try F.parseStream(F.toolStream)
        let expected = [
            Self.chunk(.init(role: .assistant, content: "")),
            Self.chunk(.init(content: "Checking")),
            Self.chunk(.init(toolCalls: [.init(index: 0, id: "toolu_01A", name: "get_weather", arguments: "")])),
            Self.chunk(.init(toolCalls: [.init(index: 0, arguments: #"{"city": "Paris"}"#)])),
            Self.chunk(.init(), finish: .toolCalls, usage: Usage(promptTokens: 40, completionTokens: 31)),
        ]
        #expect(chunks == expected)
    }

    @Test("gives the same chunks however the bytes are split")
    func splitAnywhere() throws {
        let whole = try F.parseStream(F.toolStream)
        for size in [1, 2, 3, 7, 64] {
            #expect(try F.parseStream(F.toolStream, pieceSize: size) == whole)
        }
        let crlf = F.toolStream.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
        #expect(try F.parseStream(crlf, pieceSize: 5) == whole)
    }

    @Test("numbers tool calls by their order, not by Anthropic's block index")
    func toolIndices() throws {
        let stream = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01XYZ","model":"claude-sonnet-4-5","usage":{"input_tokens":3}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t1","name":"a","input":{}}}

            event: content_block_start
            data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"t2","name":"b","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"y\\""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}

            event: brand_new_event
            data: {"type":"brand_new_event","whatever":1}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"input_tokens":0,"output_tokens":9,"cache_read_input_tokens":4}}

            event: message_stop
            data: {"type":"message_stop"}


            """
        let chunks = try F.parseStream(stream)
        let calls = chunks.flatMap { $0.choices.first?.delta.toolCalls ?? [] }
        #expect(
            calls == [
                .init(index: 0, id: "t1", name: "a", arguments: ""), .init(index: 1, id: "t2", name: "b", arguments: ""),
                .init(index: 1, arguments: #"{"y""#), .init(index: 0, arguments: "{}"),
            ]
        )
        #expect(chunks.allSatisfy { $0.choices.first?.delta.content?.contains("think") != true })
        #expect(chunks.last?.usage == Usage(promptTokens: 7, completionTokens: 9, cachedTokens: 4))
    }

    @Test("an error event throws the classified error", arguments: [
        ("overloaded_error", GatewayError.Code.upstreamRateLimited, FailureClass.rateLimit),
        ("rate_limit_error", .upstreamRateLimited, .rateLimit),
        ("api_error", .upstream, .transient),
        ("invalid_request_error", .upstreamRejected, .callerFault),
        ("authentication_error", .upstreamAuthFailed, .credential),
    ])
    func errorEvent(type: String, code: GatewayError.Code, failureClass: FailureClass) throws {
        let stream = F.textStream(["Hel"]).prefix(3).joined()
            + "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"\(type)\", \"message\": \"Overloaded\"}}\n\n"
        let error = try #require(throws: GatewayError.self) { try F.parseStream(stream) }
        #expect(error.code == code)
        #expect(error.failureClass == failureClass)
        #expect(error.message == "Anthropic: Overloaded (\(type))")
    }

    @Test("a stream that ends before message_stop is an error, not a short answer")
    func truncated() throws {
        let parts = F.textStream(["Hello", " world"])
        for cut in 1..<parts.count {
            let error = try #require(throws: GatewayError.self) { try F.parseStream(parts.prefix(cut).joined()) }
            #expect(error.code == .upstream)
        }
        let complete = try F.parseStream(parts.joined())
        #expect(complete.map(\.text).joined() == "Hello world")
        #expect(complete.last?.choices.first?.finishReason == .stop)
    }

    @Test("an event that is not JSON is an upstream error")
    func notJSON() throws {
        let error = try #require(throws: GatewayError.self) {
            try F.parseStream("event: message_start\ndata: {not json\n\n")
        }
        #expect(error.code == .upstream)
    }
}
