import GatewayKit
import HTTPTypes
import Hummingbird
public import Logging
public import NIOCore
public import NIOHTTPTypes

/// Answers the chat routes, `POST /v1/chat/completions` and `POST /gateway/<slug>/chat/completions`,
/// on the connection itself; every other request goes on to the Hummingbird router.
///
/// A chat request answered here costs no task switch per request part, no router lookup and no
/// middleware chain: the handler reads the request, starts one task for the gateway's call on the
/// connection's event loop and writes the answer from it. The answers are those of
/// ``GatewayRoutes``: the same bodies, headers, errors, access log line and HTTP metrics. Middleware
/// you add to the router does not see these requests.
///
/// Make one per connection, from ``GatewayRoutes/makeChatHandler(logger:serverName:)``, and add it
/// with ``GatewayConnectionHandler``:
///
/// ```swift
/// let app = Application(
///     router: router,
///     server: .http1(configuration: .init(additionalChannelHandlers: [
///         routes.makeChatHandler(logger: logger), GatewayConnectionHandler(),
///     ])),
///     configuration: .init(address: .hostname("127.0.0.1", port: 8080))
/// )
/// ```
///
/// Requests on one connection are answered in order: while the router answers one, the next (even
/// a chat request) goes to the router too; while this handler answers one, it reads no more from
/// the connection.
public final class GatewayChatHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart
    public typealias OutboundIn = HTTPResponsePart
    public typealias OutboundOut = HTTPResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// Passing a request on to the router, until its end.
        case passing
        /// Reading a chat request's body; `refused` answers it once it has been read.
        case reading(ChatExchange, body: ByteBuffer, refused: GatewayError?)
        /// Answering a chat request.
        case answering
    }

    private let service: ChatService
    private var state = State.idle
    /// Requests passed to the router whose response has not ended.
    private var routerOpen = 0
    /// Request parts that arrived while a chat request was answered; read once it is.
    private var queued: CircularBuffer<HTTPRequestPart> = []
    /// A read the pipeline asked for while a chat request was answered.
    private var readDeferred = false
    /// Close the connection once the chat request in progress is answered.
    private var closeAfterAnswer = false
    private var task: Task<Void, Never>?

    init(service: ChatService) {
        self.service = service
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .answering = state {
            queued.append(part)
            return
        }
        read(part, context: context)
    }

    private func read(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch (state, part) {
        case (.idle, .head(let head)):
            guard routerOpen == 0, let target = ChatTarget(head) else {
                routerOpen += 1
                state = .passing
                context.fireChannelRead(wrapInboundOut(part))
                return
            }
            var exchange = ChatExchange(head: head, target: target)
            if exchange.closes { closeAfterAnswer = true }
            do {
                exchange.caller = try service.gateway.tokens.authenticate(authorization: head.headerFields[.authorization])
            } catch {
                // Answered once the body is read, as the router does.
                state = .reading(exchange, body: ByteBuffer(), refused: error)
                return
            }
            if let declared = head.headerFields[.contentLength].flatMap(Int.init), declared > service.maxBodyBytes {
                refuseBody(exchange, "is \(declared) bytes", context: context)
                return
            }
            state = .reading(exchange, body: ByteBuffer(), refused: nil)
        case (.reading(let exchange, var body, let refused), .body(var bytes)):
            if refused != nil { return }
            guard body.readableBytes + bytes.readableBytes <= service.maxBodyBytes else {
                refuseBody(exchange, "exceeds it", context: context)
                return
            }
            state = .answering  // drops the state's reference to the body before appending to it
            if body.readableBytes == 0 {
                body = bytes
            } else {
                body.writeBuffer(&bytes)
            }
            state = .reading(exchange, body: body, refused: nil)
        case (.reading(let exchange, let body, let refused), .end):
            state = .answering
            if let refused {
                answer(exchange, error: refused, context: context)
            } else {
                start(exchange, body: body, context: context)
            }
        case (.passing, .end):
            state = .idle
            context.fireChannelRead(wrapInboundOut(part))
        case (.passing, _), (.idle, _):
            context.fireChannelRead(wrapInboundOut(part))
        case (.reading, .head), (.answering, _):
            // The decoder never sends a head inside a request, and parts that arrive while a chat
            // request is answered are queued.
            context.close(promise: nil)
        }
    }

    // A body over the limit is refused unread: the connection's input closes, the 413 is
    // written, then the connection closes.
    private func refuseBody(_ exchange: ChatExchange, _ what: String, context: ChannelHandlerContext) {
        state = .answering
        closeAfterAnswer = true
        context.close(mode: .input, promise: nil)
        let failure = GatewayError(
            .payloadTooLarge, "the request body \(what); the limit is \(service.maxBodyBytes) bytes")
        answer(exchange, error: failure, context: context)
    }

    private func answer(_ exchange: ChatExchange, error: GatewayError, context: ChannelHandlerContext) {
        let response = service.errorResponse(error, exchange: exchange)
        service.record(response.head, exchange)
        finish(context: context, written: write(response, context: context))
    }

    private func start(_ exchange: ChatExchange, body: ByteBuffer, context: ChannelHandlerContext) {
        let writer = ChatResponseWriter(handler: self, context: context)
        let service = self.service
        // Started on this event loop, the task runs here until it waits for something else.
        task = Task {
            await service.answer(exchange, body: body, writer: writer)
        }
    }

    /// Writes a whole response: head, body, end.
    /// - Returns: when the end is written, when the connection must close after it.
    func write(_ response: WholeResponse, context: ChannelHandlerContext) -> EventLoopFuture<Void>? {
        context.write(wrapOutboundOut(.head(response.head)), promise: nil)
        if response.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(response.body)), promise: nil)
        }
        guard closeAfterAnswer else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return nil
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        return written.futureResult
    }

    /// The chat request is answered: read on, or close once `written` (the answer's last write)
    /// completes.
    func finish(context: ChannelHandlerContext, written: EventLoopFuture<Void>? = nil) {
        task = nil
        state = .idle
        if closeAfterAnswer {
            let close = NIOLoopBound(context, eventLoop: context.eventLoop)
            if let written {
                written.whenComplete { _ in close.value.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
            return
        }
        guard !queued.isEmpty else {
            readOn(context: context)
            return
        }
        while !queued.isEmpty, !isAnswering {
            read(queued.removeFirst(), context: context)
        }
        // The router's side of the pipeline hands on what it was given at the end of a read.
        context.fireChannelReadComplete()
        readOn(context: context)
    }

    private func readOn(context: ChannelHandlerContext) {
        if readDeferred, !isAnswering {
            readDeferred = false
            context.read()
        }
    }

    private var isAnswering: Bool {
        if case .answering = state { return true }
        return false
    }

    public func read(context: ChannelHandlerContext) {
        // While a chat request is answered, nothing more is read from the client.
        if isAnswering {
            readDeferred = true
        } else {
            context.read()
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { routerOpen = max(0, routerOpen - 1) }
        context.write(data, promise: promise)
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent where isAnswering || isReading:
            // The server is shutting down: finish this answer, then close.
            closeAfterAnswer = true
        case let event as ChannelEvent where event == .inputClosed:
            task?.cancel()
            context.fireUserInboundEventTriggered(event)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    private var isReading: Bool {
        if case .reading = state { return true }
        return false
    }

    public func channelInactive(context: ChannelHandlerContext) {
        // The client went away: the gateway's call stops.
        task?.cancel()
        context.fireChannelInactive()
    }
}

extension GatewayRoutes {
    /// A ``GatewayChatHandler`` for one connection, answering the chat routes as these routes do.
    /// - Parameters:
    ///   - logger: the logger of the access log line and of internal errors; each request's line
    ///     carries an `hb.request.id`, as the router's do.
    ///   - serverName: the `Server` header, as the application's `serverName`.
    public func makeChatHandler(logger: Logger, serverName: String? = nil) -> GatewayChatHandler {
        GatewayChatHandler(
            service: ChatService(
                gateway: gateway, maxBodyBytes: configuration.maxBodyBytes, logger: logger, serverName: serverName)
        )
    }
}

// A channel handler lives on its connection's event loop; the answering task reaches it only
// through `NIOLoopBound`.
@available(*, unavailable)
extension GatewayChatHandler: Sendable {}
