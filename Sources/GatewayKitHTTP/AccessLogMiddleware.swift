import GatewayKit
import HTTPTypes
import Hummingbird
import Logging
import Metrics

/// One log line per request (method, path, endpoint, status, latency, fallback; never a token, a
/// secret or a prompt) and the HTTP metrics:
/// - `gatewaykit_http_requests_total{endpoint, status}`
/// - `gatewaykit_http_request_duration_seconds{endpoint}` (timer)
///
/// It also turns every error into an OpenAI-shaped response, so the status is known here. A
/// streamed response is logged when its last byte is written.
struct AccessLogMiddleware<Context: GatewayRequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch is CancellationError {
            // The client went away; there is no one to answer. 499 is nginx's "client closed".
            AccessLine(
                method: request.method.rawValue, path: request.uri.path, status: 499, endpoint: nil, fallback: false
            )
            .record(started: started, logger: context.logger)
            throw CancellationError()
        } catch {
            let failure = GatewayError.answering(error, logger: context.logger)
            response = Response(
                status: failure.httpStatus, headers: failure.responseHeaders,
                body: .init(byteBuffer: .init(bytes: failure.openAIBody))
            )
        }
        let line = AccessLine(
            method: request.method.rawValue, path: request.uri.path, status: response.status.code,
            endpoint: response.headers[.gatewayEndpoint], fallback: response.headers[.gatewayFallback] == "true"
        )
        let logger = context.logger
        guard response.body.contentLength == nil else {
            line.record(started: started, logger: logger)
            return response
        }
        let body = response.body
        response.body = ResponseBody { writer in
            do {
                try await body.write(writer)
            } catch {
                line.record(started: started, logger: logger, interrupted: true)
                throw error
            }
            line.record(started: started, logger: logger)
        }
        return response
    }
}

/// What the access log and the HTTP metrics record about one request.
struct AccessLine: Sendable {
    var method: String
    var path: String
    var status: Int
    var endpoint: String?
    var fallback: Bool
    /// The request's id, for a logger that does not carry one already.
    var requestID: RequestID? = nil

    func record(started: ContinuousClock.Instant, logger: Logger, interrupted: Bool = false) {
        let elapsed = started.duration(to: .now)
        let (seconds, attoseconds) = elapsed.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        let endpointLabel = endpoint ?? "none"
        let status = self.status
        accessCounters.handle(AccessMetricKey(endpoint: endpointLabel, status: status)) {
            Counter(
                label: "gatewaykit_http_requests_total",
                dimensions: [("endpoint", endpointLabel), ("status", String(status))]
            )
        }.increment()
        accessTimers.handle(AccessMetricKey(endpoint: endpointLabel, status: 0)) {
            Metrics.Timer(label: "gatewaykit_http_request_duration_seconds", dimensions: [("endpoint", endpointLabel)])
        }.recordNanoseconds(nanoseconds)
        // The metadata costs more than the check; a server logging at warning skips both.
        guard logger.logLevel <= .info else { return }
        var metadata: Logger.Metadata = [
            "http.method": .string(method), "http.path": .string(path), "http.status": .string(String(status)),
            "http.latency_ms": .string(String(nanoseconds / 1_000_000)), "gateway.endpoint": .string(endpoint ?? "-"),
            "gateway.fallback": .string(fallback ? "true" : "false"),
        ]
        if interrupted { metadata["http.interrupted"] = "true" }
        if let requestID { metadata["hb.request.id"] = .stringConvertible(requestID) }
        logger.info("request", metadata: metadata)
    }
}

extension GatewayError {
    /// `error` as the `GatewayError` a client is answered with; an `internal` one is logged with
    /// its cause, which the answer never shows.
    static func answering(_ error: any Error, logger: @autoclosure () -> Logger) -> GatewayError {
        let failure = fromHTTP(error)
        if failure.code == .internal {
            logger().error("request failed", metadata: ["gateway.error": "\(String(reflecting: error))"])
        }
        return failure
    }
}

private struct AccessMetricKey: Hashable {
    var endpoint: String
    var status: Int
}

// Shared by every middleware instance: the handles belong to the process-wide metrics system.
private let accessCounters = MetricHandleCache<AccessMetricKey, Counter>()
private let accessTimers = MetricHandleCache<AccessMetricKey, Metrics.Timer>()
