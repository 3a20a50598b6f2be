import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A minimal HTTP/1.1 server on 127.0.0.1 that answers like Bedrock Runtime: it records each
/// request and replies with whatever the test set, its body written in separate flushed parts.
final class BedrockTestServer: Sendable {
    struct Request: Sendable {
        var method: String
        var uri: String
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var parts: [[UInt8]]
    }

    private struct State {
        var requests: [Request] = []
        var reply = Reply(status: 500, headers: [], parts: [])
    }

    private final class Shared: Sendable {
        let state = Mutex(State())

        func handle(_ request: Request) -> Reply {
            state.withLock {
                $0.requests.append(request)
                return $0.reply
            }
        }
    }

    private let shared: Shared
    private let channel: any Channel

    /// `http://127.0.0.1:<port>`.
    let baseURL: String

    private init(shared: Shared, channel: any Channel, port: Int) {
        self.shared = shared
        self.channel = channel
        self.baseURL = "http://127.0.0.1:\(port)"
    }

    static func start() async throws -> BedrockTestServer {
        let shared = Shared()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(shared: shared))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return BedrockTestServer(shared: shared, channel: channel, port: channel.localAddress?.port ?? 0)
    }

    var requests: [Request] { shared.state.withLock { $0.requests } }

    func reply(status: Int = 200, headers: [(String, String)] = [], parts: [[UInt8]]) {
        shared.state.withLock { $0.reply = Reply(status: status, headers: headers, parts: parts) }
    }

    func shutdown() async throws { try await channel.close() }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let shared: Shared
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(shared: Shared) {
            self.shared = shared
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                guard let head else { return }
                let reply = shared.handle(
                    Request(
                        method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                        body: body)
                )
                var headers = HTTPHeaders(reply.headers)
                headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
                let status = HTTPResponseStatus(statusCode: reply.status)
                context.write(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                    promise: nil)
                for part in reply.parts {
                    context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: part)))), promise: nil)
                }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
