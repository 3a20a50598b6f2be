#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GatewayKit
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 that answers every request with a scripted reply and
/// records what it received. A reply with several parts is sent chunked, one write per part, so
/// a client sees a streamed body.
final class ScriptedHTTPServer: Sendable {
    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var parts: [String]

        /// A JSON body.
        static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("content-type", "application/json")] + headers, parts: [body])
        }

        /// An event stream, one write per part.
        static func sse(_ parts: [String]) -> Reply {
            Reply(status: 200, headers: [("content-type", "text/event-stream")], parts: parts)
        }
    }

    struct Recorded: Sendable {
        var method: String
        var uri: String
        /// Header names lowercased.
        var headers: [String: String]
        var body: [UInt8]

        var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(body)) }
    }

    private struct State {
        var reply: Reply
        var requests: [Recorded] = []
    }

    private let state: Mutex<State>
    private let channel: Mutex<(any Channel)?>
    let port: Int

    private init(reply: Reply, port: Int, channel: any Channel) {
        self.state = Mutex(State(reply: reply))
        self.channel = Mutex(channel)
        self.port = port
    }

    /// Starts a server on an ephemeral port.
    static func start(reply: Reply) async throws -> ScriptedHTTPServer {
        let script = Script(reply: reply)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(script: script))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw GatewayError(.internal, "the test server has no port") }
        let server = ScriptedHTTPServer(reply: reply, port: port, channel: channel)
        script.server.withLock { $0 = server }
        return server
    }

    /// `http://127.0.0.1:PORT`, the bare origin native adapters take as their base URL.
    var origin: String { "http://127.0.0.1:\(port)" }

    /// Replaces the reply for the following requests.
    func setReply(_ reply: Reply) {
        state.withLock { $0.reply = reply }
    }

    /// The requests received so far, oldest first.
    var requests: [Recorded] { state.withLock { $0.requests } }

    func shutdown() async throws {
        let channel = self.channel.withLock { current in
            defer { current = nil }
            return current
        }
        try await channel?.close()
    }

    fileprivate func record(_ request: Recorded) -> Reply {
        state.withLock {
            $0.requests.append(request)
            return $0.reply
        }
    }
}

/// Links handlers to the server, which exists only once the socket is bound.
private final class Script: Sendable {
    let server = Mutex<ScriptedHTTPServer?>(nil)
    let initial: ScriptedHTTPServer.Reply

    init(reply: ScriptedHTTPServer.Reply) {
        self.initial = reply
    }

    func record(_ request: ScriptedHTTPServer.Recorded) -> ScriptedHTTPServer.Reply {
        server.withLock { $0 }?.record(request) ?? initial
    }
}

private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let script: Script
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(script: Script) {
        self.script = script
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let bytes):
            body += bytes.readableBytesView
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let reply = script.record(.init(method: head.method.rawValue, uri: head.uri, headers: headers, body: body))
            respond(reply, context: context)
        }
    }

    private func respond(_ reply: ScriptedHTTPServer.Reply, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(reply.headers)
        headers.add(name: "connection", value: "close")
        if reply.parts.count == 1, let only = reply.parts.first {
            headers.add(name: "content-length", value: String(only.utf8.count))
        } else {
            headers.add(name: "transfer-encoding", value: "chunked")
        }
        let status = HTTPResponseStatus(statusCode: reply.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        for part in reply.parts {
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: part)))), promise: nil)
        }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            bound.value.close(promise: nil)
        }
    }
}
