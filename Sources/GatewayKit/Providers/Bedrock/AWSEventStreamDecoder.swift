import NIOCore

/// An incremental decoder for the AWS event-stream binary framing, as Bedrock's ConverseStream
/// sends it.
///
/// Each message is a 12-byte prelude (total length, headers length, CRC-32 of those 8 bytes),
/// the headers, the payload and a CRC-32 of everything before it. Bytes may arrive split
/// anywhere. Both checksums are verified, lengths are bounded before anything is buffered, and
/// once the decoder has failed it keeps failing: a corrupt stream never yields another message.
struct AWSEventStreamDecoder: Sendable {
    /// The smallest possible message: the prelude and the message CRC.
    static let minimumMessageLength = 16
    /// The largest message accepted. AWS documents 128 KiB of headers and 24 MiB of payload
    /// as its limits; a chat stream's events are tiny, so anything near this is corruption.
    static let maximumMessageLength = 16 << 20
    /// The largest headers section AWS allows.
    static let maximumHeadersLength = 128 << 10

    private static let preludeLength = 12

    private var buffer = ByteBuffer()
    private var failure: GatewayError?

    /// A decoder at the start of a stream.
    init() {}

    /// Consumes the next bytes and returns the messages they complete.
    /// - Throws: `GatewayError` `upstream` when a checksum does not match, a length is out of
    ///   bounds or the headers are malformed.
    mutating func decode(_ bytes: ByteBuffer) throws(GatewayError) -> [AWSEventStreamMessage] {
        if let failure { throw failure }
        var bytes = bytes
        buffer.writeBuffer(&bytes)
        var messages: [AWSEventStreamMessage] = []
        do {
            while let message = try nextMessage() { messages.append(message) }
        } catch {
            failure = error
            buffer.clear()
            throw error
        }
        if buffer.readerIndex > 4096 { buffer.discardReadBytes() }
        return messages
    }

    /// Checks that the stream ended between two messages.
    /// - Throws: `GatewayError` `upstream` when it ended inside a message, or after a failure.
    func finish() throws(GatewayError) {
        if let failure { throw failure }
        guard buffer.readableBytes == 0 else {
            throw Self.error("the stream ended in the middle of a message (\(buffer.readableBytes) bytes left over)")
        }
    }

    private mutating func nextMessage() throws(GatewayError) -> AWSEventStreamMessage? {
        let start = buffer.readerIndex
        guard buffer.readableBytes >= Self.preludeLength,
            let total = buffer.getInteger(at: start, as: UInt32.self),
            let headersLength = buffer.getInteger(at: start + 4, as: UInt32.self),
            let preludeCRC = buffer.getInteger(at: start + 8, as: UInt32.self)
        else { return nil }
        // The prelude checksum is verified before its lengths are trusted, so a corrupt length
        // is reported as corruption instead of making the decoder wait for bytes that never come.
        guard checksum(from: start, count: 8) == preludeCRC else {
            throw Self.error("a message's prelude checksum does not match: the stream is corrupted")
        }
        guard total >= Self.minimumMessageLength, total <= Self.maximumMessageLength else {
            throw Self.error("a message claims a length of \(total) bytes, outside 16...\(Self.maximumMessageLength)")
        }
        guard headersLength <= Self.maximumHeadersLength, Int(headersLength) <= Int(total) - Self.minimumMessageLength
        else {
            throw Self.error("a message claims \(headersLength) bytes of headers in a \(total)-byte message")
        }
        let length = Int(total)
        guard buffer.readableBytes >= length else { return nil }
        guard let messageCRC = buffer.getInteger(at: start + length - 4, as: UInt32.self),
            checksum(from: start, count: length - 4) == messageCRC
        else {
            throw Self.error("a message's checksum does not match: the stream is corrupted")
        }
        let headersStart = start + Self.preludeLength
        let headers = try Self.headers(buffer, from: headersStart, count: Int(headersLength))
        let payloadStart = headersStart + Int(headersLength)
        let payload = buffer.getSlice(at: payloadStart, length: length - 4 - payloadStart + start) ?? ByteBuffer()
        buffer.moveReaderIndex(forwardBy: length)
        return AWSEventStreamMessage(headers: headers, payload: payload)
    }

    private func checksum(from index: Int, count: Int) -> UInt32 {
        buffer.withUnsafeReadableBytes { raw in
            let offset = index - buffer.readerIndex
            return CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count)]))
        }
    }

    static func error(_ message: String) -> GatewayError {
        GatewayError(.upstream, "bedrock: malformed event stream: \(message)")
    }
}
