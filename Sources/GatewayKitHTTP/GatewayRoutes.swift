public import GatewayKit
import HTTPTypes
public import Hummingbird
import NIOCore

/// Every route of the gateway's HTTP contract, ready to add to a Hummingbird router: the
/// OpenAI-compatible API, `/gateway/<slug>/…`, the admin API, `/healthz` and `/metrics`.
///
/// ```swift
/// let router = Router(context: BasicGatewayRequestContext.self)
/// GatewayRoutes(gateway: gateway).register(on: router)
/// let app = Application(
///     router: router,
///     server: .http1(configuration: .init(additionalChannelHandlers: [GatewayConnectionHandler()])),
///     configuration: .init(address: .hostname("127.0.0.1", port: 8080))
/// )
/// ```
///
/// ``GatewayConnectionHandler`` is optional: with it a request whose client goes away is
/// cancelled by one handler per connection; without it the routes watch each request themselves.
///
/// Every route but `/healthz` and `/metrics` needs `Authorization: Bearer <token>`; each admin
/// route checks the caller's role. Errors answer in OpenAI's shape, `{"error": {"message",
/// "type", "code"}}`, with the status of the `GatewayError`'s code.
public struct GatewayRoutes<Context: GatewayRequestContext>: Sendable {
    /// How the routes behave.
    public struct Configuration: Sendable {
        /// The largest request body accepted, in bytes; larger bodies get 413 unread.
        public var maxBodyBytes: Int
        /// Renders the metrics for `GET /metrics` (Prometheus text); `nil` leaves the route out.
        public var metricsText: (@Sendable () -> String)?

        /// Creates a configuration.
        /// - Parameters:
        ///   - maxBodyBytes: the body limit; 4 MiB by default.
        ///   - metricsText: renders `/metrics`, e.g. from a Prometheus collector registry.
        public init(maxBodyBytes: Int = 4 << 20, metricsText: (@Sendable () -> String)? = nil) {
            self.maxBodyBytes = maxBodyBytes
            self.metricsText = metricsText
        }
    }

    /// The gateway served.
    public let gateway: Gateway
    /// The configuration.
    public let configuration: Configuration

    /// Creates the routes for `gateway`.
    /// - Parameters:
    ///   - gateway: the gateway to serve.
    ///   - configuration: body limit and metrics.
    public init(gateway: Gateway, configuration: Configuration = .init()) {
        self.gateway = gateway
        self.configuration = configuration
    }

    var bodyReader: RequestBodyReader { RequestBodyReader(limit: configuration.maxBodyBytes) }

    /// Adds every route to `router`, with access logging, HTTP metrics and bearer authentication
    /// applied to these routes only.
    /// - Parameter router: the router or group to add the routes to.
    public func register(on router: some RouterMethods<Context>) {
        let root = router.group().add(middleware: AccessLogMiddleware<Context>())
        root.get("healthz") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        if let metricsText = configuration.metricsText {
            root.get("metrics") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: metricsText()))
                )
            }
        }
        let authenticated = root.group().add(middleware: BearerAuthMiddleware<Context>(tokens: gateway.tokens))
        addChatRoutes(to: authenticated)
        addEndpointRoutes(to: authenticated)
        addKeyRoutes(to: authenticated)
        addTokenRoutes(to: authenticated)
        addGuardrailRoutes(to: authenticated)
        addUsageRoutes(to: authenticated)
    }
}

/// A JSON response.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    var headers = headers
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONWire.bytes(value))))
}

/// A JSON response written by ``JSONWriter`` (chat answers, and the admin routes' `JSONValue` bodies),
/// the same bytes as the `Encodable` form.
func jsonResponse(
    _ value: some JSONWritable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
) -> Response {
    var headers = headers
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: .init(byteBuffer: JSONWire.buffer(value)))
}
