@testable import GatewayKit
import NIOCore
import Testing

@Suite struct CohereStreamParserTests {
    typealias F = CohereFixtures

    static func chunk(_ id: String, _ delta: ChatChunk.Delta, finish: FinishReason? = nil, usage: Usage? = nil) -> ChatChunk {
        var chunk = ChatChunk(
            id: id, created: 1_700_000_000, model: "command-a-03-2025", choices: [.init(delta: delta, finishReason: finish)]
        )
        chunk.usage = usage
        return chunk
    }

    @Test("turns the documented text stream into chunks and tolerates the trailing [DONE]")
    func textStream() throws {
        let chunks = try F.parseStream(F.textStream)
        let expected = [
            Self.chunk("5a50480a", .init(role: .assistant, content: "")),
            Self.chunk("5a50480a", .init(content: "18 °C")),
            Self.chunk("5a50480a", .init(content: " in Paris.")),
            Self.chunk("5a50480a", .init(), finish: .stop, usage: Usage(promptTokens: 75, completionTokens: 7)),
        ]
        #expect(chunks == expected)
        let withoutDone = F.textStream.replacing("data: [DONE]\n\n", with: "")
        #expect(try F.parseStream(withoutDone) == expected)
    }

    @Test("turns tool-plan and tool-call events into content and tool-call fragments")
    func toolStream() throws {
        let chunks = try F.parseStream(F.toolStream)
        let expected = [
            Self.chunk("5a50480b", .init(role: .assistant, content: "")),
            Self.chunk("5a50480b", .init(content: "I will")),
            Self.chunk("5a50480b", .init(content: " call get_weather.")),
            Self.chunk(
                "5a50480b", .init(toolCalls: [.init(index: 0, id: "get_weather_1a2b", name: "get_weather", arguments: "")])
            ),
            Self.chunk("5a50480b", .init(toolCalls: [.init(index: 0, arguments: #"{"city":"#)])),
            Self.chunk("5a50480b", .init(toolCalls: [.init(index: 0, arguments: #""Paris"}"#)])),
            Self.chunk("5a50480b", .init(), finish: .toolCalls, usage: Usage(promptTokens: 20, completionTokens: 15)),
        ]
        #expect(chunks == expected)
    }

    @Test("gives the same chunks however the bytes are split")
    func splitAnywhere() throws {
        for stream in [F.textStream, F.toolStream] {
            let whole = try F.parseStream(stream)
            for size in [1, 2, 5, 13] {
                #expect(try F.parseStream(stream, pieceSize: size) == whole)
            }
        }
    }

    @Test("drops thinking content")
    func thinking() throws {
        let stream = """
            event: message-start
            data: {"id":"t","type":"message-start","delta":{"message":{"role":"assistant"}}}

            event: content-start
            data: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"thinking","thinking":""}}}}

            event: content-delta
            data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"thinking":"pondering"}}}}

            event: content-delta
            data: {"type":"content-delta","index":1,"delta":{"message":{"content":{"text":"Answer"}}}}

            event: message-end
            data: {"type":"message-end","delta":{"finish_reason":"MAX_TOKENS"}}


            """
        let chunks = try F.parseStream(stream)
        #expect(chunks.map(\.text).joined() == "Answer")
        #expect(chunks.last?.choices.first?.finishReason == .length)
        #expect(chunks.last?.usage == nil)
    }

    @Test("an error at message-end throws, and a stream without message-end is incomplete")
    func errors() throws {
        let start = #"event: message-start\#ndata: {"id":"e","type":"message-start","delta":{"message":{"role":"assistant"}}}\#n\#n"#
        let failed = try #require(throws: GatewayError.self) {
            try F.parseStream(
                start + #"event: message-end\#ndata: {"type":"message-end","delta":{"finish_reason":"ERROR","error":"internal model failure"}}\#n\#n"#
            )
        }
        #expect(failed.code == .upstream)
        #expect(failed.message == "Cohere: internal model failure")
        let noReason = try #require(throws: GatewayError.self) {
            try F.parseStream(start + #"event: message-end\#ndata: {"type":"message-end","delta":{"finish_reason":"ERROR"}}\#n\#n"#)
        }
        #expect(noReason.code == .upstream)
        let truncated = try #require(throws: GatewayError.self) {
            try F.parseStream(start + #"event: content-delta\#ndata: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Hi"}}}}\#n\#n"#)
        }
        #expect(truncated.code == .upstream)
        let notJSON = try #require(throws: GatewayError.self) { try F.parseStream("event: message-start\ndata: {oops\n\n") }
        #expect(notJSON.code == .upstream)
    }
}
