import NIOCore
import NIOHTTP1

/// One keep-alive HTTP/1.1 connection of a ``NIOHTTPTransport``, and the last handler of its pipeline.
///
/// Lives on its channel's event loop only. It runs at most one ``UpstreamExchange`` at a time and
/// reads only on demand (the channel's `autoRead` is off): while an exchange wants bytes, and while
/// idle in the pool so that a server closing the connection is noticed at once.
final class UpstreamConnection: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let origin: UpstreamURL.Origin
    private let pool: UpstreamConnectionPool
    private var context: ChannelHandlerContext?
    private var exchange: UpstreamExchange?
    private var receivedResponseBytes = false
    private var closesAfterResponse = false
    private var lastError: (any Error)?
    /// Whether this connection already carried a complete exchange, so a failure before any
    /// response byte may be a stale keep-alive connection the server closed.
    private(set) var hasBeenUsed = false
    var idleTimer: Scheduled<Void>?
    var isOpen: Bool { context != nil }
    var closeFuture: EventLoopFuture<Void>? { context?.channel.closeFuture }

    init(origin: UpstreamURL.Origin, pool: UpstreamConnectionPool) {
        self.origin = origin
        self.pool = pool
    }

    /// Writes `exchange`'s request and starts reading its response.
    func execute(_ exchange: UpstreamExchange, head: HTTPRequestHead, body: ByteBuffer) {
        guard let context else {
            exchange.connectionFailed(self, error: ChannelError.ioOnClosedChannel, beforeAnyByte: true)
            return
        }
        self.exchange = exchange
        receivedResponseBytes = false
        closesAfterResponse = head.headers.contains(name: "connection") && !head.isKeepAlive
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.read()
    }

    /// Asks the channel for more bytes; the exchange calls it when its consumer wants more.
    func read() {
        context?.read()
    }

    /// Detaches the running exchange and closes the connection; it then leaves the pool.
    func close() {
        exchange = nil
        context?.close(promise: nil)
    }

    // MARK: ChannelInboundHandler

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.context = nil
        idleTimer?.cancel()
        idleTimer = nil
        // Leave the pool first, so a retry can open a connection in this one's place.
        pool.connectionClosed(self)
        if let exchange {
            self.exchange = nil
            let error = lastError ?? ChannelError.eof
            exchange.connectionFailed(self, error: error, beforeAnyByte: !receivedResponseBytes)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Report the first cause, not the follow-up errors of closing.
        if lastError == nil { lastError = error }
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let exchange else {
            // Bytes on an idle connection answer nothing we asked: the connection is unusable.
            context.close(promise: nil)
            return
        }
        receivedResponseBytes = true
        switch unwrapInboundIn(data) {
        case .head(let head):
            if !head.isKeepAlive { closesAfterResponse = true }
            exchange.receiveHead(head)
        case .body(let buffer):
            exchange.receiveBody(buffer)
        case .end:
            self.exchange = nil
            hasBeenUsed = true
            exchange.receiveEnd()
            if closesAfterResponse {
                context.close(promise: nil)
            } else {
                pool.release(self)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Keep reading while the exchange wants bytes; an idle connection keeps one read pending to
        // see the server's close.
        if exchange?.wantsMoreBytes ?? true { context.read() }
        context.fireChannelReadComplete()
    }
}
