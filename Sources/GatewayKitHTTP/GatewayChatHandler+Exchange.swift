import GatewayKit
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTPTypes

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
        let path = Self.withoutQuery(full)
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

    /// A request target's path, without its query.
    static func withoutQuery(_ target: String) -> Substring {
        target.firstIndex(of: "?").map { target[..<$0] } ?? Substring(target)
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
        path = head.path.map { String(ChatTarget.withoutQuery($0)) } ?? "/"
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
