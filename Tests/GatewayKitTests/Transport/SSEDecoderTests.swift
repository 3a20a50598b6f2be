import GatewayKit
import NIOCore
import Testing

@Suite struct SSEDecoderTests {
    private func decode(_ text: String) throws -> [SSEEvent] {
        var decoder = SSEDecoder()
        return try decoder.feed(ByteBuffer(string: text)) + decoder.finish()
    }

    @Test("splits events at LF, CRLF and CR blank lines, mixed in one stream")
    func lineEndings() throws {
        #expect(try decode("data: a\n\ndata: b\n\n") == [SSEEvent(data: "a"), SSEEvent(data: "b")])
        #expect(try decode("data: a\r\n\r\ndata: b\r\n\r\n") == [SSEEvent(data: "a"), SSEEvent(data: "b")])
        #expect(try decode("data: a\r\rdata: b\r\r") == [SSEEvent(data: "a"), SSEEvent(data: "b")])
        #expect(
            try decode("data: a\r\n\ndata: b\n\r\ndata: c\r\rdata: d\r\n\r")
                == ["a", "b", "c", "d"].map { SSEEvent(data: $0) }
        )
    }

    @Test("returns each event as soon as its blank line arrives")
    func incremental() throws {
        var decoder = SSEDecoder()
        #expect(try decoder.feed(ByteBuffer(string: "data: a\n")) == [])
        #expect(try decoder.feed(ByteBuffer(string: "\ndata: b")) == [SSEEvent(data: "a")])
        #expect(try decoder.feed(ByteBuffer(string: "\n\n")) == [SSEEvent(data: "b")])
        #expect(decoder.finish() == [])
    }

    @Test("joins several data lines of one event with a newline")
    func multiLineData() throws {
        #expect(try decode("data: first\ndata: second\ndata: third\n\n") == [SSEEvent(data: "first\nsecond\nthird")])
        #expect(try decode("data: {\"a\":\r\ndata: 1}\r\n\r\n") == [SSEEvent(data: "{\"a\":\n1}")])
    }

    @Test("strips exactly one space after the colon")
    func oneSpace() throws {
        #expect(try decode("data:x\n\n") == [SSEEvent(data: "x")])
        #expect(try decode("data: x\n\n") == [SSEEvent(data: "x")])
        #expect(try decode("data:  x \n\n") == [SSEEvent(data: " x ")])
        #expect(try decode("data:\tx\n\n") == [SSEEvent(data: "\tx")])
        #expect(try decode("event:  ping\ndata: x\n\n") == [SSEEvent(event: " ping", data: "x")])
    }

    @Test("reads event and id fields")
    func eventAndID() throws {
        let events = try decode("event: message_start\nid: 7\ndata: {}\n\nevent: ping\ndata: p\n\ndata: plain\n\n")
        #expect(
            events == [
                SSEEvent(event: "message_start", data: "{}", id: "7"),
                SSEEvent(event: "ping", data: "p"),
                SSEEvent(data: "plain"),
            ]
        )
    }

    @Test("keeps the last event id across events and ignores an id containing NUL")
    func lastEventID() throws {
        var decoder = SSEDecoder()
        _ = try decoder.feed(ByteBuffer(string: "id: 1\ndata: a\n\ndata: b\n\n"))
        #expect(decoder.lastEventID == "1")
        let events = try decoder.feed(ByteBuffer(string: "id: x\u{0}y\ndata: c\n\n"))
        #expect(events == [SSEEvent(data: "c")])
        #expect(decoder.lastEventID == "1")
    }

    @Test("ignores comment lines, also between data lines")
    func comments() throws {
        #expect(
            try decode(": OPENROUTER PROCESSING\n\n:\ndata: a\n: keep-alive\ndata: b\n\n")
                == [SSEEvent(data: "a\nb")]
        )
    }

    @Test("reads a field line without a colon as the field with an empty value")
    func fieldWithoutColon() throws {
        #expect(try decode("data\n\n") == [SSEEvent(data: "")])
        #expect(try decode("data\ndata: x\n\n") == [SSEEvent(data: "\nx")])
        #expect(try decode("event\ndata: x\n\n") == [SSEEvent(data: "x")])
    }

    @Test("dispatches an event with an empty data line but not one without data")
    func emptyAndMissingData() throws {
        #expect(try decode("data:\n\n") == [SSEEvent(data: "")])
        #expect(try decode("event: ping\n\ndata: x\n\n") == [SSEEvent(data: "x")])
        #expect(try decode("id: 3\nretry: 100\nfoo: bar\n\n") == [])
    }

    @Test("ignores unknown fields and retry")
    func unknownFields() throws {
        #expect(try decode("retry: 3000\nobfuscation: x\ndata: a\nDATA: b\n\n") == [SSEEvent(data: "a")])
    }

    @Test("flushes a last event without its blank line at finish")
    func missingFinalNewline() throws {
        var decoder = SSEDecoder()
        #expect(try decoder.feed(ByteBuffer(string: "data: a\n\ndata: b")) == [SSEEvent(data: "a")])
        #expect(decoder.finish() == [SSEEvent(data: "b")])

        var withLineBreak = SSEDecoder()
        #expect(try withLineBreak.feed(ByteBuffer(string: "event: e\ndata: c\r\n")) == [])
        #expect(withLineBreak.finish() == [SSEEvent(event: "e", data: "c")])

        var noData = SSEDecoder()
        #expect(try noData.feed(ByteBuffer(string: "data: a\n\nevent: e")) == [SSEEvent(data: "a")])
        #expect(noData.finish() == [])
    }

    @Test("treats a CRLF pair split between two feeds as one line break")
    func splitCRLF() throws {
        var decoder = SSEDecoder()
        #expect(try decoder.feed(ByteBuffer(string: "data: a\r")) == [])
        #expect(try decoder.feed(ByteBuffer(string: "\ndata: b\r")) == [])
        #expect(try decoder.feed(ByteBuffer(string: "\n\r")) == [SSEEvent(data: "a\nb")])
        #expect(try decoder.feed(ByteBuffer(string: "\ndata: c\r")) == [])
        #expect(try decoder.feed(ByteBuffer(string: "\r")) == [SSEEvent(data: "c")])
        #expect(decoder.finish() == [])
    }

    @Test("decodes a multi-byte UTF-8 character split between feeds")
    func splitUTF8() throws {
        let bytes = Array("data: 18 °C ☀️ 東京\n\n".utf8)
        for split in 1..<bytes.count {
            var decoder = SSEDecoder()
            let events = try decoder.feed(bytes[..<split]) + decoder.feed(bytes[split...]) + decoder.finish()
            #expect(events == [SSEEvent(data: "18 °C ☀️ 東京")], "split at \(split)")
        }
    }

    @Test("skips a byte order mark at the start of the stream, even split")
    func byteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("data: a\n\ndata: b\n\n".utf8)
        var decoder = SSEDecoder()
        let events = try decoder.feed(bytes[..<1]) + decoder.feed(bytes[1..<2]) + decoder.feed(bytes[2...])
        #expect(events == [SSEEvent(data: "a"), SSEEvent(data: "b")])
        #expect(try decode("\u{FEFF}event: x\ndata: y\n\n") == [SSEEvent(event: "x", data: "y")])
    }

    @Test("accepts bytes from a ByteBuffer with a moved reader index")
    func byteBufferReaderIndex() throws {
        var buffer = ByteBuffer(string: "garbagedata: a\n\n")
        buffer.moveReaderIndex(forwardBy: 7)
        var decoder = SSEDecoder()
        #expect(try decoder.feed(buffer) == [SSEEvent(data: "a")])
    }

    @Test("decodes the recorded streams the same whatever the split points", arguments: SSEFixtures.all)
    func recordedStreamsSplitAnywhere(_ fixture: SSEFixtures.Fixture) throws {
        let bytes = Array(fixture.text.utf8)
        var whole = SSEDecoder()
        let expected = try whole.feed(ByteBuffer(bytes: bytes)) + whole.finish()
        #expect(expected.count == fixture.eventCount)
        #expect(expected.map(\.event) == fixture.eventNames)

        for split in 0...bytes.count {
            var decoder = SSEDecoder()
            let events =
                try decoder.feed(ByteBuffer(bytes: bytes[..<split])) + decoder.feed(ByteBuffer(bytes: bytes[split...]))
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
                events += try decoder.feed(ByteBuffer(bytes: bytes[offset..<(offset + length)]))
                offset += length
            }
            events += decoder.finish()
            #expect(events == expected, "iteration \(iteration)")
        }
    }

    @Test("fails an event that grows past the limit, in one line or over many, and keeps smaller ones")
    func eventSizeLimit() throws {
        var decoder = SSEDecoder(maximumEventBytes: 64)
        #expect(try decoder.feed(ByteBuffer(string: "data: \(String(repeating: "a", count: 40))\n\n")).count == 1)
        // A line that never ends, fed in pieces.
        #expect(try decoder.feed(ByteBuffer(string: "data: " + String(repeating: "b", count: 40))) == [])
        #expect(throws: GatewayError.self) { try decoder.feed(ByteBuffer(string: String(repeating: "b", count: 40))) }
        // Many short data lines with no blank line between them.
        var lines = SSEDecoder(maximumEventBytes: 64)
        let error = #expect(throws: GatewayError.self) {
            try lines.feed(ByteBuffer(string: String(repeating: "data: 0123456789\n", count: 10)))
        }
        #expect(error?.code == .upstream)
        #expect(error?.message.contains("larger than 64 bytes") == true)
        #expect(SSEDecoder().maximumEventBytes == 16 * 1024 * 1024)
    }
}
