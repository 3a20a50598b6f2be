import Foundation
import GatewayKit
import NIOCore
import Testing

@Suite struct GeminiStreamParserTests {
    let adapter = GeminiAdapter(now: { 1_700_000_000 })
    let call = GoogleFixtures.call("gemini-2.5-flash", stream: true)

    static let documented =
        GoogleFixtures.event(
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":"18 °C"}]},"index":0}],"usageMetadata":{"promptTokenCount":21,"totalTokenCount":21},"modelVersion":"gemini-2.5-flash","responseId":"mHjsaK7xLc6q"}"#
        )
        + GoogleFixtures.event(
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":" in Paris."}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":21,"candidatesTokenCount":7,"totalTokenCount":28},"modelVersion":"gemini-2.5-flash","responseId":"mHjsaK7xLc6q"}"#
        )

    @Test("turns the documented CRLF-framed stream into chunks, split anywhere", arguments: [1, 2, 7, 64, Int.max])
    func documentedStream(pieceSize: Int) throws {
        let chunks = try GoogleFixtures.parseStream(adapter, call: call, body: Self.documented, pieceSize: pieceSize)
        #expect(chunks.count == 2)
        #expect(chunks.map(\.text).joined() == "18 °C in Paris.")
        #expect(chunks[0].choices[0].delta.role == .assistant)
        #expect(chunks[1].choices[0].delta.role == nil)
        #expect(chunks.map(\.id) == ["mHjsaK7xLc6q", "mHjsaK7xLc6q"])
        #expect(chunks[0].usage == nil)
        #expect(chunks[0].choices[0].finishReason == nil)
        #expect(chunks[1].choices[0].finishReason == .stop)
        #expect(chunks[1].usage == Usage(promptTokens: 21, completionTokens: 7, totalTokens: 28))
        #expect(chunks.allSatisfy { $0.created == 1_700_000_000 && $0.model == "gemini-2.5-flash" })
    }

    @Test("a function call arrives whole as one tool-call fragment and ends with tool_calls")
    func functionCall() throws {
        let body =
            GoogleFixtures.event(
                #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},"index":0}],"responseId":"r9"}"#
            )
            + GoogleFixtures.event(
                #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_time","args":{}}}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":3,"totalTokenCount":8},"responseId":"r9"}"#
            )
        let chunks = try GoogleFixtures.parseStream(adapter, call: call, body: body)
        let calls = chunks.flatMap { $0.choices.flatMap { $0.delta.toolCalls ?? [] } }
        #expect(calls.map(\.index) == [0, 1])
        #expect(calls.map(\.id) == ["call_r9_0", "call_r9_1"])
        #expect(calls.map(\.name) == ["get_weather", "get_time"])
        #expect(GoogleFixtures.json(calls[0].arguments ?? "") == GoogleFixtures.json(#"{"city":"Paris"}"#))
        #expect(chunks.last?.choices.first?.finishReason == .toolCalls)
        #expect(chunks[0].choices[0].delta.content == nil)
        // The same answer, complete, gets the same ids.
        let complete = try adapter.parseResponse(
            GoogleFixtures.response(
                #"{"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},{"functionCall":{"name":"get_time","args":{}}}]},"finishReason":"STOP"}],"responseId":"r9"}"#
            ),
            for: call
        )
        #expect(complete.toolCalls.map(\.id) == calls.compactMap(\.id))
    }

    @Test("a stream that ends without any finish reason is truncated, not complete")
    func truncated() throws {
        var parser = adapter.makeStreamParser(for: call)
        let first = Self.documented.components(separatedBy: "\r\n\r\n")[0] + "\r\n\r\n"
        let chunks = try parser.parse(ByteBuffer(string: first))
        #expect(chunks.map(\.text) == ["18 °C"])
        let error = #expect(throws: GatewayError.self) { try parser.finish() }
        #expect(error?.code == .upstream)
        #expect(error?.message.contains("finish reason") == true)
        var empty = adapter.makeStreamParser(for: call)
        #expect(throws: GatewayError.self) { try empty.finish() }
    }

    @Test("an error chunk inside the stream throws the classified error")
    func errorChunk() throws {
        var parser = adapter.makeStreamParser(for: call)
        _ = try parser.parse(ByteBuffer(string: Self.documented.components(separatedBy: "\r\n\r\n")[0] + "\r\n\r\n"))
        let error = #expect(throws: GatewayError.self) {
            try parser.parse(
                ByteBuffer(
                    string: GoogleFixtures.event(
                        #"{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}"#
                    )
                )
            )
        }
        #expect(error?.code == .upstream)
        #expect(error?.upstreamStatus == 503)
        #expect(error?.message == "gemini: The model is overloaded. Please try again later.")
        var limited = adapter.makeStreamParser(for: call)
        let rateLimit = #expect(throws: GatewayError.self) {
            try limited.parse(
                ByteBuffer(
                    string: GoogleFixtures.event(
                        #"{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"12s"}]}}"#
                    )
                )
            )
        }
        #expect(rateLimit?.code == .upstreamRateLimited)
        #expect(rateLimit?.retryAfter == .seconds(12))
    }

    @Test("a blocked prompt in the first chunk is refused; LF framing, comments and a trailing [DONE] are tolerated")
    func blockedAndTolerated() throws {
        var blocked = adapter.makeStreamParser(for: call)
        let error = #expect(throws: GatewayError.self) {
            try blocked.parse(
                ByteBuffer(string: GoogleFixtures.event(#"{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"}}"#)))
        }
        #expect(error?.code == .upstreamRejected)
        let body = Self.documented.replacingOccurrences(of: "\r\n", with: "\n") + ": keep-alive\n\ndata: [DONE]\n\n"
        let chunks = try GoogleFixtures.parseStream(adapter, call: call, body: body)
        #expect(chunks.map(\.text).joined() == "18 °C in Paris.")
    }

    @Test("thought parts are not streamed as answer text, and a malformed event is an upstream failure")
    func thoughtsAndMalformed() throws {
        let body =
            GoogleFixtures.event(
                #"{"candidates":[{"content":{"parts":[{"text":"pondering","thought":true}]}}],"responseId":"t"}"#)
            + GoogleFixtures.event(
                #"{"candidates":[{"content":{"parts":[{"text":"Yes."}]},"finishReason":"STOP"}],"responseId":"t"}"#)
        let chunks = try GoogleFixtures.parseStream(adapter, call: call, body: body)
        #expect(chunks.map(\.text).joined() == "Yes.")
        #expect(chunks[0].choices[0].delta.role == .assistant)
        var parser = adapter.makeStreamParser(for: call)
        let error = #expect(throws: GatewayError.self) {
            try parser.parse(ByteBuffer(string: "data: {not json\r\n\r\n"))
        }
        #expect(error?.code == .upstream)
    }
}
