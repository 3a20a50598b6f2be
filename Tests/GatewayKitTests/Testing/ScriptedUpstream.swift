import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A bare HTTP/1.1 server on 127.0.0.1 whose answer to each request is scripted by the connection's
/// number and the request's number on it (both from 0): for connection-level behaviour that
/// ``LocalUpstream`` does not script, such as closing a keep-alive connection instead of answering.
final class ScriptedUpstream: Sendable {
    enum Action: Sendable {
        /// A 200 with this body and a content-length; the connection stays open.
        case respond(String)
        /// Close the connection without a byte of response.
        case close
        /// An HTTP/1.0 response without keep-alive whose body ends when the server closes.
        case respondHTTP10(String)
        /// A 200 with a content-length body of `bytes` bytes, written as fast as the client reads.
        case respondLarge(bytes: Int)
    }

    private let channel: any Channel
    private let counts: Counts
    let port: Int

    final class Counts: Sendable {
        let state = Mutex((connections: 0, requests: 0, bytesWritten: 0))
        let channels = Mutex([any Channel]())
    }

    private init(channel: any Channel, counts: Counts, port: Int) {
        self.channel = channel
        self.counts = counts
        self.port = port
    }

    private static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Starts a server on 127.0.0.1 on a free port; with `tls`, it speaks HTTPS.
    static func start(
        tls: NIOSSLContext? = nil, script: @escaping @Sendable (_ connection: Int, _ request: Int) -> Action
    ) async throws -> ScriptedUpstream {
        let counts = Counts()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    counts.channels.withLock { $0.append(channel) }
                    let number = counts.state.withLock { state in
                        state.connections += 1
                        return state.connections - 1
                    }
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        Handler(connection: number, counts: counts, script: script)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
        return ScriptedUpstream(channel: channel, counts: counts, port: port)
    }

    var url: String { "http://127.0.0.1:\(port)/v1/chat/completions" }
    var acceptedConnections: Int { counts.state.withLock { $0.connections } }
    var requestCount: Int { counts.state.withLock { $0.requests } }
    /// The body bytes of ``Action/respondLarge(bytes:)`` responses the kernel has taken so far.
    var bytesWritten: Int { counts.state.withLock { $0.bytesWritten } }

    /// Closes every connection the server accepted, as a server ending idle keep-alive connections does.
    func closeConnections() async {
        for channel in counts.channels.withLock({ $0 }) { try? await channel.close() }
    }

    func shutdown() async throws {
        try await channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let connection: Int
        let counts: Counts
        let script: @Sendable (Int, Int) -> Action
        var requests = 0
        var remaining = 0
        // One shared piece, so writing a large body costs no filling or copying.
        static let filler = ByteBuffer(repeating: 0x61, count: 1 << 16)
        var isPumping = false

        init(connection: Int, counts: Counts, script: @escaping @Sendable (Int, Int) -> Action) {
            self.connection = connection
            self.counts = counts
            self.script = script
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            counts.state.withLock { $0.requests += 1 }
            let action = script(connection, requests)
            requests += 1
            switch action {
            case .close:
                context.close(promise: nil)
            case .respond(let text):
                respond(text, context: context)
            case .respondLarge(let bytes):
                var headers = HTTPHeaders()
                headers.add(name: "content-length", value: String(bytes))
                context.write(
                    wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                    promise: nil)
                remaining = bytes
                pump(context: context)
            case .respondHTTP10(let text):
                let head = HTTPResponseHead(version: .http1_0, status: .ok, headers: HTTPHeaders())
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                context.close(promise: nil)
            }
        }

        func channelWritabilityChanged(context: ChannelHandlerContext) {
            if remaining > 0 { pump(context: context) }
            context.fireChannelWritabilityChanged()
        }

        // Writes while the socket takes more, so only what the client reads leaves the server.
        private func pump(context: ChannelHandlerContext) {
            // A flush can report writability again from inside this loop; the loop itself goes on.
            guard !isPumping else { return }
            isPumping = true
            defer { isPumping = false }
            while remaining > 0, context.channel.isWritable {
                let size = min(remaining, 1 << 16)
                remaining -= size
                let promise = context.eventLoop.makePromise(of: Void.self)
                let counts = self.counts
                promise.futureResult.whenSuccess { counts.state.withLock { $0.bytesWritten += size } }
                let piece = Self.filler.getSlice(at: 0, length: size) ?? ByteBuffer()
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(piece))), promise: promise)
                if remaining == 0 { context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil) }
            }
        }

        private func respond(_ text: String, context: ChannelHandlerContext) {
            var headers = HTTPHeaders()
            headers.add(name: "content-length", value: String(text.utf8.count))
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil
            )
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
