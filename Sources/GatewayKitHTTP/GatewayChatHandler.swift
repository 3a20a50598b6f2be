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
    fileprivate func write(_ response: WholeResponse, context: ChannelHandlerContext) -> EventLoopFuture<Void>? {
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
    fileprivate func finish(context: ChannelHandlerContext, written: EventLoopFuture<Void>? = nil) {
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

/// Which chat route a request is for.
enum ChatTarget: Sendable {
    /// `/v1/chat/completions`: the endpoint is the body's `model`.
    case model
    /// `/gateway/<slug>/chat/completions`.
    case path(slug: String)

    /// The route of a request, or `nil` when it is not a chat route this handler answers (the
    /// router then answers it, including with 404 or 405).
    init?(_ head: HTTPRequest) {
        guard head.method == .post, let full = head.path else { return nil }
        let path = full.firstIndex(of: "?").map { full[..<$0] } ?? Substring(full)
        if path == "/v1/chat/completions" {
            self = .model
            return
        }
        let prefix = "/gateway/"
        let suffix = "/chat/completions"
        guard path.hasPrefix(prefix), path.hasSuffix(suffix), path.count > prefix.count + suffix.count else {
            return nil
        }
        let slug = path.dropFirst(prefix.count).dropLast(suffix.count)
        // Anything the router would decode or split is left to the router.
        guard !slug.contains("/"), !slug.contains("%") else { return nil }
        self = .path(slug: String(slug))
    }

    var pathSlug: String? {
        switch self {
        case .model: nil
        case .path(let slug): slug
        }
    }
}

/// One chat request: what the access log needs to say about it.
struct ChatExchange: Sendable {
    let method: String
    let path: String
    let target: ChatTarget
    let closes: Bool
    let started = ContinuousClock.now
    /// The id in the request's log lines, `hb.request.id` as on the router's.
    let id = RequestID()
    var caller: Caller?

    init(head: HTTPRequest, target: ChatTarget) {
        method = head.method.rawValue
        path = head.path.map { full in full.firstIndex(of: "?").map { String(full[..<$0]) } ?? full } ?? "/"
        self.target = target
        closes = head.headerFields[.connection]?.lowercased() == "close"
    }
}

/// A whole response.
struct WholeResponse: Sendable {
    var head: HTTPResponse
    var body: ByteBuffer
}

/// Writes a chat answer from the task that computes it, on the connection's event loop.
struct ChatResponseWriter: Sendable {
    private let handler: NIOLoopBound<GatewayChatHandler>
    private let context: NIOLoopBound<ChannelHandlerContext>
    private let eventLoop: any EventLoop

    init(handler: GatewayChatHandler, context: ChannelHandlerContext) {
        eventLoop = context.eventLoop
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
        self.context = NIOLoopBound(context, eventLoop: eventLoop)
    }

    /// Writes `response` whole, and ends the exchange.
    func respond(_ response: WholeResponse) {
        onLoop { handler, context in
            handler.finish(context: context, written: handler.write(response, context: context))
        }
    }

    /// Ends the exchange without an answer: the client went away.
    func abandon() {
        onLoop { handler, context in
            handler.finish(context: context)
            context.close(promise: nil)
        }
    }

    /// Writes a stream's head; it goes out with the first events.
    func writeHead(_ head: HTTPResponse) {
        onLoop { handler, context in
            context.write(handler.wrapOutboundOut(.head(head)), promise: nil)
        }
    }

    /// Writes a part and waits until it is written: the stream's back pressure.
    func write(_ part: HTTPResponsePart, end: Bool = false) async throws {
        let written = eventLoop.makePromise(of: Void.self)
        onLoop { handler, context in
            context.writeAndFlush(handler.wrapOutboundOut(part), promise: written)
            if end { handler.finish(context: context, written: written.futureResult) }
        }
        try await written.futureResult.get()
    }

    private func onLoop(_ body: @escaping @Sendable (GatewayChatHandler, ChannelHandlerContext) -> Void) {
        if eventLoop.inEventLoop {
            body(handler.value, context.value)
        } else {
            let handler = self.handler
            let context = self.context
            eventLoop.execute { body(handler.value, context.value) }
        }
    }
}

/// What every ``GatewayChatHandler`` of a server shares.
struct ChatService: Sendable {
    let gateway: Gateway
    let maxBodyBytes: Int
    let logger: Logger
    let serverName: String?

    /// Answers one chat request and ends its exchange.
    func answer(_ exchange: ChatExchange, body: ByteBuffer, writer: ChatResponseWriter) async {
        do {
            guard let caller = exchange.caller else {
                throw GatewayError(.unauthenticated, "send an access token as 'Authorization: Bearer <token>'")
            }
            let call = try ChatCall(body: body, pathSlug: exchange.target.pathSlug)
            if call.request.stream {
                try await stream(call, caller: caller, exchange: exchange, writer: writer)
                return
            }
            let reply = try await gateway.router.complete(slug: call.slug, request: call.request, as: caller)
            var head = HTTPResponse(status: .ok, headerFields: .servedBy(reply.servedBy))
            head.headerFields[.contentType] = "application/json"
            let response = finished(WholeResponse(head: head, body: JSONWire.buffer(reply)), exchange)
            writer.respond(response)
            record(response.head, exchange)
        } catch is CancellationError {
            AccessLine(
                method: exchange.method, path: exchange.path, status: 499, endpoint: nil, fallback: false,
                requestID: exchange.id
            )
            .record(started: exchange.started, logger: logger)
            writer.abandon()
        } catch {
            let failure = GatewayError.answering(error, logger: logger(for: exchange))
            let response = errorResponse(failure, exchange: exchange)
            writer.respond(response)
            record(response.head, exchange)
        }
    }

    private func stream(
        _ call: ChatCall, caller: Caller, exchange: ChatExchange, writer: ChatResponseWriter
    ) async throws {
        var iterator = gateway.router.stream(slug: call.slug, request: call.request, as: caller).makeAsyncIterator()
        guard let first = try await iterator.next() else { throw ChatEventStream.emptyStream }
        let head = finished(
            WholeResponse(
                head: HTTPResponse(status: .ok, headerFields: ChatEventStream.headers(servedBy: first.servedBy)),
                body: ByteBuffer()),
            exchange
        ).head
        let line = AccessLine(
            method: exchange.method, path: exchange.path, status: 200,
            endpoint: first.servedBy?.endpoint.rawValue, fallback: first.servedBy?.usedFallback == true,
            requestID: exchange.id
        )
        do {
            writer.writeHead(head)
            try await ChatEventStream.pump(
                first: first, rest: &iterator, includeUsage: call.request.includeUsage == true
            ) { events in
                try await writer.write(.body(events))
            }
            try await writer.write(.end(nil), end: true)
        } catch {
            line.record(started: exchange.started, logger: logger, interrupted: true)
            writer.abandon()
            return
        }
        line.record(started: exchange.started, logger: logger)
    }

    /// The error response for `error`.
    func errorResponse(_ error: GatewayError, exchange: ChatExchange) -> WholeResponse {
        finished(
            WholeResponse(
                head: HTTPResponse(status: error.httpStatus, headerFields: error.responseHeaders),
                body: ByteBuffer(bytes: error.openAIBody)),
            exchange
        )
    }

    /// Adds what every response carries: `Content-Length` for a whole body, `Date`, `Server`, and
    /// `Connection: close` when the connection closes after it.
    private func finished(_ response: WholeResponse, _ exchange: ChatExchange) -> WholeResponse {
        var response = response
        if response.head.headerFields[.contentType] != "text/event-stream" {
            response.head.headerFields[.contentLength] = String(response.body.readableBytes)
        }
        response.head.headerFields[.date] = HTTPDate.now
        if let serverName { response.head.headerFields[.server] = serverName }
        if exchange.closes { response.head.headerFields[.connection] = "close" }
        return response
    }

    /// The logger with the request's id, made only for a line that is logged.
    private func logger(for exchange: ChatExchange) -> Logger {
        var logger = self.logger
        logger[metadataKey: "hb.request.id"] = .stringConvertible(exchange.id)
        return logger
    }

    func record(_ head: HTTPResponse, _ exchange: ChatExchange) {
        AccessLine(
            method: exchange.method, path: exchange.path, status: head.status.code,
            endpoint: head.headerFields[.gatewayEndpoint], fallback: head.headerFields[.gatewayFallback] == "true",
            requestID: exchange.id
        )
        .record(started: exchange.started, logger: logger)
    }
}

// A channel handler lives on its connection's event loop; the answering task reaches it only
// through `NIOLoopBound`.
@available(*, unavailable)
extension GatewayChatHandler: Sendable {}
