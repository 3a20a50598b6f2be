import Foundation
import GatewayKit
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 speaking whatever the test scripts: Gemini and Vertex AI
/// answers, OAuth token endpoints. Every request is recorded.
final class GoogleTestServer: Sendable {
    struct Request: Sendable {
        var method: String
        var uri: String
        var headers: [(name: String, value: String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)) }

        /// The form fields of an `application/x-www-form-urlencoded` body.
        var form: [String: String] {
            var fields: [String: String] = [:]
            for pair in body.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map {
                    String($0).removingPercentEncoding ?? String($0)
                }
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
            return fields
        }
    }

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var parts: [String]
        /// Waited before the head is sent, and between parts.
        var delay: Duration

        init(
            status: Int = 200, headers: [(String, String)] = [("content-type", "application/json")], parts: [String],
            delay: Duration = .zero
        ) {
            self.status = status
            self.headers = headers
            self.parts = parts
            self.delay = delay
        }

        static func json(_ body: String, status: Int = 200, delay: Duration = .zero) -> Reply {
            Reply(status: status, parts: [body], delay: delay)
        }

        static func sse(_ events: [String]) -> Reply {
            Reply(headers: [("content-type", "text/event-stream")], parts: events)
        }
    }

    typealias Handler = @Sendable (Request) -> Reply

    private let channel: any Channel
    private let recorded = Mutex<[Request]>([])

    /// `http://127.0.0.1:PORT`.
    let baseURL: String

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.baseURL = "http://127.0.0.1:\(port)"
    }

    static func start(handler: @escaping Handler) async throws -> GoogleTestServer {
        let box = ServerBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptedHandler(handler: handler, record: { request in box.server?.record(request) })
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = GoogleTestServer(channel: channel, port: channel.localAddress?.port ?? 0)
        box.set(server)
        return server
    }

    var requests: [Request] { recorded.withLock { $0 } }

    /// How many requests reached a path starting with `prefix`.
    func hits(_ prefix: String) -> Int { requests.filter { $0.uri.hasPrefix(prefix) }.count }

    func shutdown() async throws {
        try await channel.close()
    }

    fileprivate func record(_ request: Request) {
        recorded.withLock { $0.append(request) }
    }
}

private final class ServerBox: Sendable {
    private let value = Mutex<GoogleTestServer?>(nil)
    var server: GoogleTestServer? { value.withLock { $0 } }
    func set(_ server: GoogleTestServer) { value.withLock { $0 = server } }
}

private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let handler: GoogleTestServer.Handler
    private let record: @Sendable (GoogleTestServer.Request) -> Void
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(handler: @escaping GoogleTestServer.Handler, record: @escaping @Sendable (GoogleTestServer.Request) -> Void) {
        self.handler = handler
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var piece):
            body.writeBuffer(&piece)
        case .end:
            guard let head else { return }
            let request = GoogleTestServer.Request(
                method: head.method.rawValue, uri: head.uri,
                headers: head.headers.map { (name: $0.name, value: $0.value) },
                body: String(buffer: body)
            )
            record(request)
            let reply = handler(request)
            send(reply, context: context)
        }
    }

    private func send(_ reply: GoogleTestServer.Reply, context: ChannelHandlerContext) {
        let loop = context.eventLoop.assumeIsolated()
        let writeHead = {
            var headers = HTTPHeaders(reply.headers)
            if reply.parts.count == 1 {
                headers.replaceOrAdd(name: "content-length", value: "\(reply.parts[0].utf8.count)")
            }
            let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: reply.status), headers: headers)
            context.writeAndFlush(self.wrapOutboundOut(.head(head)), promise: nil)
            self.sendParts(reply.parts[...], delay: reply.delay, context: context)
        }
        if reply.delay > .zero {
            loop.scheduleTask(in: .nanoseconds(Int64(reply.delay.nanosecondsForTest))) { writeHead() }
        } else {
            writeHead()
        }
    }

    private func sendParts(_ parts: ArraySlice<String>, delay: Duration, context: ChannelHandlerContext) {
        guard let first = parts.first else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: first)))), promise: nil)
        let rest = parts.dropFirst()
        if delay > .zero, !rest.isEmpty {
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(delay.nanosecondsForTest))) {
                self.sendParts(rest, delay: delay, context: context)
            }
        } else {
            sendParts(rest, delay: delay, context: context)
        }
    }
}

extension Duration {
    fileprivate var nanosecondsForTest: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
