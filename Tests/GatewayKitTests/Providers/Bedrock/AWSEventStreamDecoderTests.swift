import NIOCore
import Testing

@testable import GatewayKit

@Suite struct AWSEventStreamDecoderTests {
    typealias F = EventStreamFrames

    private func decodeAll(_ bytes: [UInt8]) throws -> [AWSEventStreamMessage] {
        var decoder = AWSEventStreamDecoder()
        let messages = try decoder.decode(F.buffer(bytes))
        try decoder.finish()
        return messages
    }

    private func text(_ buffer: ByteBuffer) -> String { String(buffer: buffer) }

    @Test("CRC-32 gives the standard check value and matches an independent bitwise implementation")
    func crc() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        #expect(CRC32.checksum(bytes) == F.crc32(bytes))
        var incremental = CRC32()
        incremental.update(bytes[..<333])
        incremental.update(bytes[333...])
        #expect(incremental.value == F.crc32(bytes))
    }

    @Test("decodes the published empty-message vector of aws-c-event-stream")
    func emptyMessageVector() throws {
        let messages = try decodeAll(F.hex("00000010 00000000 05c248eb 7d98c8ff"))
        #expect(messages.count == 1)
        #expect(messages[0].headers.isEmpty)
        #expect(messages[0].payload.readableBytes == 0)
    }

    @Test("decodes the published payload-only and content-type vectors of aws-c-event-stream")
    func publishedVectors() throws {
        let payload = Array("{'foo':'bar'}".utf8)
        let plain = F.hex("0000001d 00000000 fd528c5a") + payload + F.hex("c3653936")
        let withHeader =
            F.hex("0000003d 00000020 07fd8396 0c") + Array("content-type".utf8) + F.hex("07 0010")
            + Array("application/json".utf8) + payload + F.hex("8d9c08b1")
        let messages = try decodeAll(plain + withHeader)
        #expect(messages.count == 2)
        #expect(text(messages[0].payload) == "{'foo':'bar'}")
        #expect(messages[1].headers == [.init(name: "content-type", value: .string("application/json"))])
        #expect(text(messages[1].payload) == "{'foo':'bar'}")
    }

    @Test("decodes a Bedrock contentBlockDelta frame and the test encoder builds the same bytes")
    func bedrockVector() throws {
        let vector = F.hex(
            "0000009400000057b4ab9aee0b3a6576656e742d74797065070011636f6e74656e74426c6f636b44656c74610d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b22636f6e74656e74426c6f636b496e646578223a302c2264656c7461223a7b2274657874223a224869227d7d1f944657"
        )
        let messages = try decodeAll(vector)
        #expect(messages.count == 1)
        #expect(messages[0].string(":event-type") == "contentBlockDelta")
        #expect(messages[0].string(":message-type") == "event")
        #expect(text(messages[0].payload) == #"{"contentBlockIndex":0,"delta":{"text":"Hi"}}"#)
        #expect(F.event("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"Hi"}}"#) == vector)
    }

    @Test("parses every header value type, so unknown headers are skipped correctly")
    func allHeaderTypes() throws {
        let uuid = Array(0..<16).map(UInt8.init)
        let headers: [(String, F.Value)] = [
            ("t", .bool(true)), ("f", .bool(false)), ("b", .byte(-3)), ("s", .int16(-300)), ("i", .int32(70_000)),
            ("l", .int64(-5_000_000_000)), ("x", .bytes([1, 2, 3])), ("x-unknown", .string("zz")),
            ("when", .timestamp(1_700_000_000_000)), ("id", .uuid(uuid)), (":event-type", .string("metadata")),
        ]
        let messages = try decodeAll(F.frame(headers: headers, payload: Array("{}".utf8)))
        let expected: [AWSEventStreamMessage.Header] = [
            .init(name: "t", value: .bool(true)), .init(name: "f", value: .bool(false)),
            .init(name: "b", value: .byte(-3)), .init(name: "s", value: .int16(-300)),
            .init(name: "i", value: .int32(70_000)), .init(name: "l", value: .int64(-5_000_000_000)),
            .init(name: "x", value: .bytes([1, 2, 3])), .init(name: "x-unknown", value: .string("zz")),
            .init(name: "when", value: .timestamp(1_700_000_000_000)), .init(name: "id", value: .uuid(uuid)),
            .init(name: ":event-type", value: .string("metadata")),
        ]
        #expect(messages.first?.headers == expected)
        #expect(messages.first?.string(":event-type") == "metadata")
        #expect(text(messages[0].payload) == "{}")
    }

    @Test("frames split at every byte decode to the same messages")
    func splitEverywhere() throws {
        let stream =
            F.event("messageStart", #"{"role":"assistant"}"#)
            + F.event("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"Hello"}}"#)
            + F.event("messageStop", #"{"stopReason":"end_turn"}"#)
        let whole = try decodeAll(stream)
        #expect(whole.count == 3)
        for split in 0...stream.count {
            var decoder = AWSEventStreamDecoder()
            var messages = try decoder.decode(F.buffer(Array(stream[..<split])))
            messages += try decoder.decode(F.buffer(Array(stream[split...])))
            try decoder.finish()
            #expect(messages == whole, "split at \(split)")
        }
        var decoder = AWSEventStreamDecoder()
        var oneByOne: [AWSEventStreamMessage] = []
        for byte in stream { oneByOne += try decoder.decode(F.buffer([byte])) }
        try decoder.finish()
        #expect(oneByOne == whole)
    }

    @Test("a flipped payload bit fails the message checksum, and the decoder stays failed")
    func corruptPayload() throws {
        var frame = F.event("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"Hi"}}"#)
        frame[frame.count - 8] ^= 0x01
        var decoder = AWSEventStreamDecoder()
        let error = #expect(throws: GatewayError.self) { try decoder.decode(F.buffer(frame)) }
        #expect(error?.code == .upstream)
        #expect(error?.message.contains("checksum") == true)
        let good = F.event("messageStart", #"{"role":"assistant"}"#)
        #expect(throws: GatewayError.self) { try decoder.decode(F.buffer(good)) }
        #expect(throws: GatewayError.self) { try decoder.finish() }
    }

    @Test("a flipped prelude bit fails the prelude checksum before the length is trusted")
    func corruptPrelude() throws {
        var frame = F.event("messageStart", #"{"role":"assistant"}"#)
        frame[2] ^= 0x40  // total length becomes about 4 MiB larger
        var decoder = AWSEventStreamDecoder()
        let error = #expect(throws: GatewayError.self) { try decoder.decode(F.buffer(Array(frame.prefix(12)))) }
        #expect(error?.message.contains("prelude checksum") == true)
    }

    @Test("a stream that ends inside a frame fails at finish")
    func truncated() throws {
        let frame = F.event("messageStart", #"{"role":"assistant"}"#)
        for cut in [1, 11, 12, 20, frame.count - 1] {
            var decoder = AWSEventStreamDecoder()
            #expect(try decoder.decode(F.buffer(Array(frame.prefix(cut)))).isEmpty)
            let error = #expect(throws: GatewayError.self) { try decoder.finish() }
            #expect(error?.message.contains("middle of a message") == true, "cut at \(cut)")
        }
    }

    @Test("absurd lengths with valid prelude checksums are rejected at once, without buffering")
    func absurdLengths() throws {
        func prelude(total: UInt32, headers: UInt32) -> [UInt8] {
            let head = F.bigEndian(total) + F.bigEndian(headers)
            return head + F.bigEndian(F.crc32(head))
        }
        for (total, headers) in [
            (UInt32(0xFFFF_FFFF), UInt32(0)), (17 << 20, 0), (15, 0), (0, 0), (40, 30), (200_000, 150_000),
        ] {
            var decoder = AWSEventStreamDecoder()
            let error = #expect(throws: GatewayError.self) {
                try decoder.decode(F.buffer(prelude(total: total, headers: headers)))
            }
            #expect(error?.code == .upstream, "total \(total), headers \(headers)")
        }
    }

    @Test("malformed headers are errors: unknown value type, value past the section, empty name")
    func malformedHeaders() throws {
        func frame(rawHeaders: [UInt8]) -> [UInt8] {
            let total = 16 + rawHeaders.count
            var out = F.bigEndian(UInt32(total)) + F.bigEndian(UInt32(rawHeaders.count))
            out += F.bigEndian(F.crc32(out)) + rawHeaders
            return out + F.bigEndian(F.crc32(out))
        }
        let cases: [[UInt8]] = [
            [1, UInt8(ascii: "a"), 10],  // type 10 does not exist
            [1, UInt8(ascii: "a"), 7, 0, 9, UInt8(ascii: "x")],  // string longer than the section
            [1, UInt8(ascii: "a"), 5, 0, 0],  // int64 cut short
            [0, 0],  // empty name
            [5, UInt8(ascii: "a")],  // name longer than the section
        ]
        for raw in cases {
            var decoder = AWSEventStreamDecoder()
            #expect(throws: GatewayError.self, "headers \(raw)") {
                try decoder.decode(F.buffer(frame(rawHeaders: raw)))
            }
        }
    }
}
