import NIOCore
import Testing

@testable import GatewayKit

@Suite struct BedrockStreamParserTests {
    typealias F = EventStreamFrames

    static let textStream: [UInt8] =
        F.event("messageStart", #"{"role":"assistant","p":"abcdef"}"#)
        + F.event("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"ab"}"#)
        + F.event("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":" world"}}"#)
        + F.event("contentBlockStop", #"{"contentBlockIndex":0}"#)
        + F.event("messageStop", #"{"stopReason":"end_turn"}"#)
        + F.event(
            "metadata", #"{"usage":{"inputTokens":30,"outputTokens":8,"totalTokens":38},"metrics":{"latencyMs":512}}"#)

    static let toolStream: [UInt8] =
        F.event("messageStart", #"{"role":"assistant"}"#)
        + F.event("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"Checking."}}"#)
        + F.event("contentBlockStop", #"{"contentBlockIndex":0}"#)
        + F.event(
            "contentBlockStart",
            #"{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"tooluse_abc","name":"get_weather"}}}"#)
        + F.event("contentBlockDelta", #"{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"city\":"}}}"#)
        + F.event("contentBlockDelta", #"{"contentBlockIndex":1,"delta":{"toolUse":{"input":"\"Paris\"}"}}}"#)
        + F.event("contentBlockStop", #"{"contentBlockIndex":1}"#)
        + F.event("someFutureEvent", #"{"anything":true}"#)
        + F.event("messageStop", #"{"stopReason":"tool_use"}"#)

    private func run(_ parts: [[UInt8]]) throws -> [ChatChunk] {
        var parser = BedrockStreamParser(model: "m", created: 7, id: "bedrock-x")
        var chunks: [ChatChunk] = []
        for part in parts { chunks += try parser.parse(F.buffer(part)) }
        chunks += try parser.finish()
        return chunks
    }

    @Test("a text stream becomes a role chunk, text deltas, a finish chunk and a usage chunk")
    func text() throws {
        let chunks = try run([Self.textStream])
        #expect(chunks.count == 5)
        #expect(chunks[0].choices.first?.delta == .init(role: .assistant, content: ""))
        #expect(chunks.map(\.text).joined() == "Hello world")
        #expect(chunks[3].choices.first?.finishReason == .stop)
        #expect(chunks[4].choices.isEmpty)
        #expect(chunks[4].usage == Usage(promptTokens: 30, completionTokens: 8, totalTokens: 38))
        #expect(chunks.allSatisfy { $0.id == "bedrock-x" && $0.model == "m" && $0.created == 7 })
    }

    @Test("a tool-use stream becomes OpenAI tool-call deltas: id and name first, then argument fragments")
    func toolUse() throws {
        let chunks = try run([Self.toolStream])
        let toolDeltas = chunks.flatMap { $0.choices.first?.delta.toolCalls ?? [] }
        #expect(
            toolDeltas == [
                .init(index: 0, id: "tooluse_abc", name: "get_weather", arguments: ""),
                .init(index: 0, arguments: #"{"city":"#), .init(index: 0, arguments: #""Paris"}"#),
            ]
        )
        #expect(chunks.map(\.text).joined() == "Checking.")
        #expect(chunks.last?.choices.first?.finishReason == .toolCalls)
    }

    @Test("the same chunks come out wherever the body is split")
    func splitEverywhere() throws {
        let stream = Self.toolStream
        let whole = try run([stream])
        for split in stride(from: 0, through: stream.count, by: 1) {
            #expect(try run([Array(stream[..<split]), Array(stream[split...])]) == whole, "split at \(split)")
        }
        #expect(try run(stream.map { [$0] }) == whole)
    }

    @Test("exception frames are thrown as classified errors")
    func exceptions() throws {
        let cases: [(String, GatewayError.Code)] = [
            ("throttlingException", .upstreamRateLimited), ("serviceUnavailableException", .upstream),
            ("internalServerException", .upstream), ("modelStreamErrorException", .upstream),
            ("validationException", .upstreamRejected),
        ]
        for (type, code) in cases {
            var parser = BedrockStreamParser(model: "m", created: 0)
            _ = try parser.parse(F.buffer(F.event("messageStart", #"{"role":"assistant"}"#)))
            let error = #expect(throws: GatewayError.self) {
                try parser.parse(F.buffer(F.exception(type, "went wrong")))
            }
            #expect(error?.code == code, "\(type)")
            #expect(error?.message == "bedrock: \(type): went wrong", "\(type)")
        }
    }

    @Test("an error frame names its code and message in headers")
    func errorFrame() throws {
        let frame = F.frame(
            headers: [
                (":message-type", .string("error")), (":error-code", .string("ThrottlingException")),
                (":error-message", .string("busy")),
            ],
            payload: []
        )
        var parser = BedrockStreamParser(model: "m", created: 0)
        let error = #expect(throws: GatewayError.self) { try parser.parse(F.buffer(frame)) }
        #expect(error?.code == .upstreamRateLimited)
        #expect(error?.message == "bedrock: ThrottlingException: busy")
    }

    @Test("a stream without messageStop, or cut inside a frame, fails at finish")
    func incomplete() throws {
        let withoutStop =
            F.event("messageStart", #"{"role":"assistant"}"#)
            + F.event("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"Hi"}}"#)
        var parser = BedrockStreamParser(model: "m", created: 0)
        #expect(try parser.parse(F.buffer(withoutStop)).count == 2)
        let error = #expect(throws: GatewayError.self) { try parser.finish() }
        #expect(error?.code == .upstream)
        #expect(error?.message.contains("messageStop") == true)

        var cut = BedrockStreamParser(model: "m", created: 0)
        _ = try cut.parse(F.buffer(Array(Self.textStream.dropLast(3))))
        #expect(throws: GatewayError.self) { try cut.finish() }
    }

    @Test("a corrupted frame, a bad event payload or tool input without a start are upstream errors")
    func corrupt() throws {
        var flipped = Self.textStream
        flipped[40] ^= 0x08
        var parser = BedrockStreamParser(model: "m", created: 0)
        let crcError = #expect(throws: GatewayError.self) { try parser.parse(F.buffer(flipped)) }
        #expect(crcError?.code == .upstream)
        #expect(crcError?.message.contains("checksum") == true)

        var badJSON = BedrockStreamParser(model: "m", created: 0)
        #expect(throws: GatewayError.self) { try badJSON.parse(F.buffer(F.event("contentBlockDelta", "{nope"))) }

        var orphan = BedrockStreamParser(model: "m", created: 0)
        #expect(throws: GatewayError.self) {
            try orphan.parse(
                F.buffer(F.event("contentBlockDelta", #"{"contentBlockIndex":3,"delta":{"toolUse":{"input":"{}"}}}"#)))
        }
    }
}
