// nio-floor LISTEN_PORT JSON_PORT SSE_PORT
//
// A proxy with nothing but SwiftNIO's HTTP/1 pipelines: each request's body goes to an upstream
// over a kept-alive connection of the caller's connection, on the same event loop, and the
// upstream's body comes back as the answer. `/v1/chat/completions` goes to JSON_PORT, any other
// path to SSE_PORT. No JSON, routing, authentication, logging or accounting: the CPU it spends
// per request is the floor under any gateway built on SwiftNIO on the machine.
import NIOCore
import NIOHTTP1
import NIOPosix

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
guard arguments.count == 3 else {
    print("usage: nio-floor LISTEN_PORT JSON_PORT SSE_PORT")
    exit(2)
}
let (listenPort, jsonPort, ssePort) = (arguments[0], arguments[1], arguments[2])

/// Collects one upstream answer's body and hands it over at its end.
final class UpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    private var body = ByteBuffer()
    var onAnswer: ((ByteBuffer) -> Void)?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            let onAnswer = self.onAnswer
            self.onAnswer = nil
            onAnswer?(body)
        }
    }
}

/// Reads a caller's request and answers it with the upstream's body.
final class ProxyHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    private var upstreams: [Int: (channel: any Channel, handler: UpstreamHandler)] = [:]
    private var port = jsonPort
    private var body = ByteBuffer()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            port = head.uri == "/v1/chat/completions" ? jsonPort : ssePort
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            forward(context: context)
        }
    }

    private func forward(context: ChannelHandlerContext) {
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let request = body
        let send = { (channel: any Channel, handler: UpstreamHandler) in
            handler.onAnswer = { answer in self.answer(answer, context: loopBoundContext.value) }
            var headers = HTTPHeaders()
            headers.add(name: "host", value: "127.0.0.1")
            headers.add(name: "content-type", value: "application/json")
            headers.add(name: "content-length", value: String(request.readableBytes))
            let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/chat/completions", headers: headers)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            channel.write(HTTPClientRequestPart.body(.byteBuffer(request)), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        if let upstream = upstreams[port] {
            send(upstream.channel, upstream.handler)
            return
        }
        let handler = UpstreamHandler()
        let port = self.port
        // The upstream channel lives on the caller's event loop, where its initializer runs.
        let boundHandler = NIOLoopBound(handler, eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(boundHandler.value)
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    self.upstreams[port] = (channel, handler)
                    channel.closeFuture.assumeIsolated().whenComplete { _ in self.upstreams[port] = nil }
                    send(channel, handler)
                case .failure:
                    self.fail(context: loopBoundContext.value)
                }
            }
    }

    private func answer(_ body: ByteBuffer, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.readableBytes))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func fail(context: ChannelHandlerContext) {
        let headers = HTTPHeaders([("content-length", "0")])
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badGateway, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        for upstream in upstreams.values { upstream.channel.close(promise: nil) }
        upstreams = [:]
    }
}

let server = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
    .serverChannelOption(.backlog, value: 256)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline()
            try channel.pipeline.syncOperations.addHandler(ProxyHandler())
        }
    }
    .bind(host: "127.0.0.1", port: listenPort)
    .wait()
print("nio-floor listening on 127.0.0.1:\(listenPort)")
try server.closeFuture.wait()
