import GatewayKit
import NIOCore
import NIOPosix

/// A plain TCP connection to the test server, for what an HTTP client hides: sending part of a
/// body, reading a response while the body is unsent, closing mid-stream.
struct RawConnection {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    static func open(port: Int) async throws -> RawConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return RawConnection(channel: channel)
    }

    /// Runs `body` with a writer and an iterator over what the server sends, then closes.
    func run<T>(
        _ body: (
            NIOAsyncChannelOutboundWriter<ByteBuffer>, inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        ) async throws -> T
    ) async throws -> T {
        try await channel.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            return try await body(outbound, &iterator)
        }
    }
}

extension NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator {
    /// Reads until the text received contains `marker` or the server closes; returns the text.
    mutating func read(until marker: String) async throws -> String {
        var text = ""
        while !text.contains(marker), let buffer = try await next(isolation: #isolation) {
            text += String(buffer: buffer)
        }
        return text
    }
}

/// The head of a `POST /v1/chat/completions` sent as an admin over a raw socket, with one framing
/// header (`Content-Length: N` or `Transfer-Encoding: chunked`), ending with the blank line.
func rawChatRequestHead(framing: String) -> String {
    "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(Role.admin.testToken)\r\n"
        + "Content-Type: application/json\r\n\(framing)\r\n\r\n"
}
