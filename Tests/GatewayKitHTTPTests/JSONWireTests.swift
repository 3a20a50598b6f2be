import Foundation
import GatewayKit
import NIOCore
import Testing

@testable import GatewayKitHTTP

/// The HTTP layer writes chat answers with JSONWriter; the bytes must not change from the
/// JSONEncoder path they replace.
@Suite struct JSONWireTests {
    static let response = ChatResponse(
        id: "chatcmpl-1", created: 1_732_147_200, model: "gpt-4o-mini",
        choices: [
            .init(message: .assistant("Bonjour / hello \"there\"\n👋"), finishReason: .stop),
            .init(
                index: 1,
                message: ChatMessage(
                    role: .assistant, content: nil,
                    toolCalls: [ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Paris"}"#)]
                ),
                finishReason: .toolCalls
            ),
        ],
        usage: Usage(promptTokens: 12, completionTokens: 7, cachedTokens: 3)
    )

    @Test("a chat response is written with the same bytes as the JSONEncoder path")
    func responseBytes() {
        let written = JSONWire.buffer(Self.response)
        #expect(Array(written.readableBytesView) == JSONWire.bytes(Self.response))
    }

    @Test("a chunk event is `data: `, the chunk's JSONEncoder bytes and a blank line")
    func chunkEvent() {
        let chunks = [
            ChatChunk(
                id: "c", created: 1, model: "m",
                choices: [.init(delta: .init(role: .assistant, content: "Hi \u{1}"), finishReason: nil)]
            ),
            ChatChunk(id: "c", created: 1, model: "m", choices: [], usage: Usage(promptTokens: 1, completionTokens: 2)),
        ]
        for chunk in chunks {
            let expected = Array("data: ".utf8) + JSONWire.bytes(chunk) + Array("\n\n".utf8)
            #expect(Array(ChatEventStream.event(chunk).readableBytesView) == expected)
        }
    }

    @Test("an answer holding a non-finite number becomes the internal error object, not broken JSON")
    func nonFinite() throws {
        var response = Self.response
        response.choices[0].message.content = .parts([.other(.object(["type": .string("x"), "v": .double(.nan)]))])
        let written = Array(JSONWire.buffer(response).readableBytesView)
        #expect(written == JSONWire.bytes(response))
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(written))
        #expect(object["error"]?["code"]?.stringValue == "internal_error")
    }

    @Test(
        "an unknown tool_choice or response_format type is a 400 naming the field and the allowed values",
        arguments: [
            (#""tool_choice":"sometimes""#, "tool_choice", "none, auto, required or a function object"),
            (#""response_format":{"type":"yaml"}"#, "response_format", "text, json_object or json_schema"),
        ]
    )
    func rejectsUnknownChoices(member: String, field: String, allowed: String) throws {
        let body = ByteBuffer(string: #"{"messages":[{"role":"user","content":"hi"}],"# + member + "}")
        let error = try #require(throws: GatewayError.self) { try JSONWire.decode(ChatRequest.self, from: body) }
        #expect(error.code == .invalidRequest)
        #expect(error.field == field)
        #expect(error.message.contains(allowed), "\(error.message)")
    }
}
