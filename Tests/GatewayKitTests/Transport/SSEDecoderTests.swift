import GatewayKit
import NIOCore
import Testing

@Suite struct SSEDecoderTests {
    private func decode(_ text: String) -> [SSEEvent] {
        var decoder = SSEDecoder()
        return decoder.feed(ByteBuffer(string: text)) + decoder.finish()
    }

    @Test("splits events at LF, CRLF and CR blank lines, mixed in one stream")
    func lineEndings() {
        #expect(decode("data: a\n\ndata: b\n\n") == [SSEEvent(data: "a"), SSEEvent(data: "b")])
        #expect(decode("data: a\r\n\r\ndata: b\r\n\r\n") == [SSEEvent(data: "a"), SSEEvent(data: "b")])
        #expect(decode("data: a\r\rdata: b\r\r") == [SSEEvent(data: "a"), SSEEvent(data: "b")])
        #expect(
            decode("data: a\r\n\ndata: b\n\r\ndata: c\r\rdata: d\r\n\r")
                == ["a", "b", "c", "d"].map { SSEEvent(data: $0) }
        )
    }

    @Test("returns each event as soon as its blank line arrives")
    func incremental() {
        var decoder = SSEDecoder()
        #expect(decoder.feed(ByteBuffer(string: "data: a\n")) == [])
        #expect(decoder.feed(ByteBuffer(string: "\ndata: b")) == [SSEEvent(data: "a")])
        #expect(decoder.feed(ByteBuffer(string: "\n\n")) == [SSEEvent(data: "b")])
        #expect(decoder.finish() == [])
    }

    @Test("joins several data lines of one event with a newline")
    func multiLineData() {
        #expect(decode("data: first\ndata: second\ndata: third\n\n") == [SSEEvent(data: "first\nsecond\nthird")])
        #expect(decode("data: {\"a\":\r\ndata: 1}\r\n\r\n") == [SSEEvent(data: "{\"a\":\n1}")])
    }

    @Test("strips exactly one space after the colon")
    func oneSpace() {
        #expect(decode("data:x\n\n") == [SSEEvent(data: "x")])
        #expect(decode("data: x\n\n") == [SSEEvent(data: "x")])
        #expect(decode("data:  x \n\n") == [SSEEvent(data: " x ")])
        #expect(decode("data:\tx\n\n") == [SSEEvent(data: "\tx")])
        #expect(decode("event:  ping\ndata: x\n\n") == [SSEEvent(event: " ping", data: "x")])
    }

    @Test("reads event and id fields")
    func eventAndID() {
        let events = decode("event: message_start\nid: 7\ndata: {}\n\nevent: ping\ndata: p\n\ndata: plain\n\n")
        #expect(
            events == [
                SSEEvent(event: "message_start", data: "{}", id: "7"),
                SSEEvent(event: "ping", data: "p"),
                SSEEvent(data: "plain"),
            ]
        )
    }

    @Test("keeps the last event id across events and ignores an id containing NUL")
    func lastEventID() {
        var decoder = SSEDecoder()
        _ = decoder.feed(ByteBuffer(string: "id: 1\ndata: a\n\ndata: b\n\n"))
        #expect(decoder.lastEventID == "1")
        let events = decoder.feed(ByteBuffer(string: "id: x\u{0}y\ndata: c\n\n"))
        #expect(events == [SSEEvent(data: "c")])
        #expect(decoder.lastEventID == "1")
    }

    @Test("ignores comment lines, also between data lines")
    func comments() {
        #expect(
            decode(": OPENROUTER PROCESSING\n\n:\ndata: a\n: keep-alive\ndata: b\n\n")
                == [SSEEvent(data: "a\nb")]
        )
    }

    @Test("reads a field line without a colon as the field with an empty value")
    func fieldWithoutColon() {
        #expect(decode("data\n\n") == [SSEEvent(data: "")])
        #expect(decode("data\ndata: x\n\n") == [SSEEvent(data: "\nx")])
        #expect(decode("event\ndata: x\n\n") == [SSEEvent(data: "x")])
    }

    @Test("dispatches an event with an empty data line but not one without data")
    func emptyAndMissingData() {
        #expect(decode("data:\n\n") == [SSEEvent(data: "")])
        #expect(decode("event: ping\n\ndata: x\n\n") == [SSEEvent(data: "x")])
        #expect(decode("id: 3\nretry: 100\nfoo: bar\n\n") == [])
    }

    @Test("ignores unknown fields and retry")
    func unknownFields() {
        #expect(decode("retry: 3000\nobfuscation: x\ndata: a\nDATA: b\n\n") == [SSEEvent(data: "a")])
    }

    @Test("flushes a last event without its blank line at finish")
    func missingFinalNewline() {
        var decoder = SSEDecoder()
        #expect(decoder.feed(ByteBuffer(string: "data: a\n\ndata: b")) == [SSEEvent(data: "a")])
        #expect(decoder.finish() == [SSEEvent(data: "b")])

        var withLineBreak = SSEDecoder()
        #expect(withLineBreak.feed(ByteBuffer(string: "event: e\ndata: c\r\n")) == [])
        #expect(withLineBreak.finish() == [SSEEvent(event: "e", data: "c")])

        var noData = SSEDecoder()
        #expect(noData.feed(ByteBuffer(string: "data: a\n\nevent: e")) == [SSEEvent(data: "a")])
        #expect(noData.finish() == [])
    }

    @Test("treats a CRLF pair split between two feeds as one line break")
    func splitCRLF() {
        var decoder = SSEDecoder()
        #expect(decoder.feed(ByteBuffer(string: "data: a\r")) == [])
        #expect(decoder.feed(ByteBuffer(string: "\ndata: b\r")) == [])
        #expect(decoder.feed(ByteBuffer(string: "\n\r")) == [SSEEvent(data: "a\nb")])
        #expect(decoder.feed(ByteBuffer(string: "\ndata: c\r")) == [])
        #expect(decoder.feed(ByteBuffer(string: "\r")) == [SSEEvent(data: "c")])
        #expect(decoder.finish() == [])
    }

    @Test("decodes a multi-byte UTF-8 character split between feeds")
    func splitUTF8() {
        let bytes = Array("data: 18 °C ☀️ 東京\n\n".utf8)
        for split in 1..<bytes.count {
            var decoder = SSEDecoder()
            let events = decoder.feed(bytes[..<split]) + decoder.feed(bytes[split...]) + decoder.finish()
            #expect(events == [SSEEvent(data: "18 °C ☀️ 東京")], "split at \(split)")
        }
    }

    @Test("skips a byte order mark at the start of the stream, even split")
    func byteOrderMark() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("data: a\n\ndata: b\n\n".utf8)
        var decoder = SSEDecoder()
        let events = decoder.feed(bytes[..<1]) + decoder.feed(bytes[1..<2]) + decoder.feed(bytes[2...])
        #expect(events == [SSEEvent(data: "a"), SSEEvent(data: "b")])
        #expect(decode("\u{FEFF}event: x\ndata: y\n\n") == [SSEEvent(event: "x", data: "y")])
    }

    @Test("accepts bytes from a ByteBuffer with a moved reader index")
    func byteBufferReaderIndex() {
        var buffer = ByteBuffer(string: "garbagedata: a\n\n")
        buffer.moveReaderIndex(forwardBy: 7)
        var decoder = SSEDecoder()
        #expect(decoder.feed(buffer) == [SSEEvent(data: "a")])
    }

    @Test("decodes the recorded streams the same whatever the split points", arguments: SSEFixtures.all)
    func recordedStreamsSplitAnywhere(_ fixture: SSEFixtures.Fixture) {
        let bytes = Array(fixture.text.utf8)
        var whole = SSEDecoder()
        let expected = whole.feed(ByteBuffer(bytes: bytes)) + whole.finish()
        #expect(expected.count == fixture.eventCount)
        #expect(expected.map(\.event) == fixture.eventNames)

        for split in 0...bytes.count {
            var decoder = SSEDecoder()
            let events =
                decoder.feed(ByteBuffer(bytes: bytes[..<split])) + decoder.feed(ByteBuffer(bytes: bytes[split...]))
                + decoder.finish()
            #expect(events == expected, "split at \(split)")
        }

        var generator = SplitMix64(seed: 0x5EED_0000 + UInt64(bytes.count))
        for iteration in 0..<300 {
            var decoder = SSEDecoder()
            var events: [SSEEvent] = []
            var offset = 0
            while offset < bytes.count {
                let maxPiece = iteration % 3 == 0 ? 4 : 64
                let length = min(bytes.count - offset, Int.random(in: 0...maxPiece, using: &generator))
                events += decoder.feed(ByteBuffer(bytes: bytes[offset..<(offset + length)]))
                offset += length
            }
            events += decoder.finish()
            #expect(events == expected, "iteration \(iteration)")
        }
    }
}
