import GatewayKit
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTPTypes

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
