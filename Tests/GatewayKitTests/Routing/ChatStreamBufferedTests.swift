import GatewayKit
import GatewayKitTesting
import NIOCore
import Testing

/// `nextBuffered()` hands out the chunks already read with the last one, so a server can write
/// them together, and never waits for the provider.
@Suite struct ChatStreamBufferedTests {
    static func events(_ words: [String]) -> String {
        var text = ""
        for (index, word) in words.enumerated() {
            let role = index == 0 ? #""role":"assistant","# : ""
            text += #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","#
                + #""choices":[{"index":0,"delta":{\#(role)"content":"\#(word)"},"finish_reason":null}]}"# + "\n\n"
        }
        return text + "data: [DONE]\n\n"
    }

    @Test("the first chunk comes before the events read with it are parsed; then they come from next and nextBuffered")
    func oneRead() async throws {
        let fixture = try await RouterHTTPTests.Fixture.make()
        let sse = ["content-type": "text/event-stream"]
        fixture.primary.setBehaviour(
            .raw(status: 200, headers: sse, bodyParts: [ByteBuffer(string: Self.events(["a", "b", "c", "d"]))])
        )
        var iterator = fixture.gateway.router.stream(slug: "main", request: .user("hi"), as: .admin).makeAsyncIterator()
        let first = try await iterator.next()
        // The client gets the first event without waiting for the parse of those that came with it.
        #expect(iterator.nextBuffered() == nil)
        let second = try await iterator.next()
        var words = [first?.choices.first?.delta.content, second?.choices.first?.delta.content]
        while let more = iterator.nextBuffered() { words.append(more.choices.first?.delta.content) }
        #expect(words == ["a", "b", "c", "d"])
        #expect(try await iterator.next() == nil)
        #expect(iterator.nextBuffered() == nil)
        try await fixture.shutdown()
    }

    @Test("nextBuffered returns nil when the next event has not arrived, and next still gets it")
    func separateReads() async throws {
        let fixture = try await RouterHTTPTests.Fixture.make()
        fixture.primary.setBehaviour(.slowStream(chunks: ["a", "b"], interval: .milliseconds(100), includeUsage: false))
        var iterator = fixture.gateway.router.stream(slug: "main", request: .user("hi"), as: .admin).makeAsyncIterator()
        var words: [String?] = []
        while let chunk = try await iterator.next() {
            if let text = chunk.choices.first?.delta.content, !text.isEmpty { words.append(text) }
            #expect(iterator.nextBuffered() == nil, "each event came in its own read, 100 ms apart")
        }
        #expect(words == ["a", "b"])
        try await fixture.shutdown()
    }
}
