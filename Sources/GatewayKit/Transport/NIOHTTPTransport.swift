import HTTPTypes
public import NIOCore
import NIOHTTP1
public import NIOPosix
public import NIOSSL
import Synchronization

/// An ``HTTPTransport`` straight on SwiftNIO: HTTP/1.1 keep-alive connections pooled per event loop.
///
/// It behaves like ``HTTPClientTransport`` (the same errors, timeouts and cancellation) with far less
/// work per request. A request runs on the caller's event loop when the caller runs on one of the
/// group's loops (no thread hop), otherwise on any loop of the group. Each loop keeps its own pool
/// per scheme, host and port: idle connections are reused last in, first out and closed after
/// ``HTTPClientTransport/Configuration/idleConnectionTimeout``; at most
/// ``HTTPClientTransport/Configuration/maxConnectionsPerHost`` are open per loop and host, and
/// requests beyond that wait in order, the wait counting toward their timeout. A response with
/// `Connection: close`, an HTTP/1.0 response without keep-alive, and a body that was not read to
/// the end close their connection instead of pooling it.
///
/// A reused connection that fails before any response byte arrives (the server closed an idle
/// keep-alive connection just as the request went out) is retried once on a fresh connection.
///
/// Call ``shutdown()`` once the transport is no longer used.
public final class NIOHTTPTransport: HTTPTransport, Sendable {
    private let pools: [ObjectIdentifier: UpstreamConnectionPool]
    private let group: any EventLoopGroup
    private let maxResponseBytes: Int
    private let isShutDown = Atomic(false)
    // Parsing a URL was 3% of a proxied call's CPU; an endpoint calls the same URL every time.
    private let parsedURLs = BoundedCache<String, UpstreamURL?>()

    /// Creates a transport with its own connection pools on `eventLoopGroup`.
    /// - Parameters:
    ///   - configuration: the connection settings, shared with ``HTTPClientTransport``.
    ///   - eventLoopGroup: the event loops connections live on; NIO's shared group by default.
    ///   - tlsConfiguration: the TLS settings for `https` URLs; the system's trust roots by default.
    public init(
        configuration: HTTPClientTransport.Configuration = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration()
    ) {
        let tls: Result<NIOSSLContext, GatewayError>
        do {
            tls = .success(try NIOSSLContext(configuration: tlsConfiguration))
        } catch {
            tls = .failure(GatewayError(.upstream, "the TLS configuration could not be loaded", underlying: error))
        }
        let settings = UpstreamConnectionPool.Settings(
            connectTimeout: TimeAmount(configuration.connectTimeout),
            idleTimeout: TimeAmount(configuration.idleConnectionTimeout),
            maxConnections: max(1, configuration.maxConnectionsPerHost),
            tls: tls
        )
        var pools: [ObjectIdentifier: UpstreamConnectionPool] = [:]
        for loop in eventLoopGroup.makeIterator() {
            pools[ObjectIdentifier(loop)] = UpstreamConnectionPool(loop: loop, settings: settings)
        }
        self.pools = pools
        self.group = eventLoopGroup
        self.maxResponseBytes = max(0, configuration.maxResponseBytes)
    }

    /// Closes every connection; requests after this fail with `GatewayError` `upstream`.
    public func shutdown() async {
        isShutDown.store(true, ordering: .releasing)
        for pool in pools.values {
            let loop = pool.loop
            try? await loop.flatSubmit { pool.shutdown() }.get()
        }
    }

    /// Sends `request` and collects the whole response; the exchange must finish within `timeout`.
    /// Cancelling the calling task closes the request's connection.
    /// - Parameters:
    ///   - request: the request.
    ///   - timeout: the time allowed for a connection, the head and the complete body.
    /// - Returns: the response, whatever its status.
    /// - Throws: `GatewayError` `upstreamTimeout` when `timeout` passes; `upstream` when the URL is
    ///   invalid, the connection fails, the body is over the size limit or the transport is shut
    ///   down; `CancellationError` when cancelled.
    public func send(_ request: UpstreamRequest, timeout: Duration) async throws -> UpstreamResponse {
        let (url, head, pool) = try prepare(request)
        let promise = pool.loop.makePromise(of: UpstreamResponse.self)
        let box = NIOLoopBoundBox<UpstreamExchange?>.makeEmptyBox(eventLoop: pool.loop)
        let mode = UpstreamExchange.Mode.collect(promise, limit: maxResponseBytes)
        return try await run(
            request, url: url, head: head, pool: pool, timeout: timeout, box: box, mode: mode, until: promise
        )
    }

    /// Sends `request` and returns once the response head arrives, within `timeout`. The body then
    /// streams with back pressure; each wait for the upstream's next piece may last at most
    /// `timeout` (time the consumer spends not asking for more does not count). Cancelling the
    /// calling task, cancelling the body's consumer, or dropping the body closes the connection.
    /// - Parameters:
    ///   - request: the request.
    ///   - timeout: the time allowed for a connection and the head, and then for each body piece.
    /// - Returns: the response with its streaming body, whatever its status.
    /// - Throws: `GatewayError` `upstreamTimeout` or `upstream`, here or from the body's iteration;
    ///   `CancellationError` when cancelled.
    public func stream(_ request: UpstreamRequest, timeout: Duration) async throws -> UpstreamStreamingResponse {
        let (url, head, pool) = try prepare(request)
        let loop = pool.loop
        let promise = loop.makePromise(of: HTTPResponseHead.self)
        let box = NIOLoopBoundBox<UpstreamExchange?>.makeEmptyBox(eventLoop: loop)
        let producer = UpstreamExchange.BodyProducer.makeSequence(
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8), finishOnDeinit: true,
            delegate: UpstreamBodyDemand(loop: loop, exchange: box)
        )
        let mode = UpstreamExchange.Mode.stream(promise, producer.source)
        let responseHead = try await run(
            request, url: url, head: head, pool: pool, timeout: timeout, box: box, mode: mode, until: promise
        )
        return UpstreamStreamingResponse(
            status: Int(responseHead.status.code), headers: Self.fields(responseHead.headers),
            body: UpstreamBody(producer.sequence)
        )
    }

    /// The open and idle connections to `url`'s scheme, host and port over all event loops; a seam
    /// for tests.
    func connectionCounts(to url: String) async -> (open: Int, idle: Int) {
        guard let origin = UpstreamURL(url)?.origin else { return (0, 0) }
        var total = (open: 0, idle: 0)
        for pool in pools.values {
            guard let counts = try? await pool.loop.submit({ pool.connectionCounts(for: origin) }).get() else {
                continue
            }
            total.open += counts.open
            total.idle += counts.idle
        }
        return total
    }

    // MARK: Helpers

    /// Starts `request`'s exchange on `pool`'s loop and waits for `promise`, which `mode` completes;
    /// cancelling the calling task cancels the exchange.
    private func run<Value: Sendable>(
        _ request: UpstreamRequest, url: UpstreamURL, head: HTTPRequestHead, pool: UpstreamConnectionPool,
        timeout: Duration, box: NIOLoopBoundBox<UpstreamExchange?>, mode: UpstreamExchange.Mode,
        until promise: EventLoopPromise<Value>
    ) async throws -> Value {
        let loop = pool.loop
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let body = request.body
        Self.onLoop(loop) {
            let exchange = UpstreamExchange(
                origin: url.origin, pool: pool, head: head, body: body, mode: mode, timeout: TimeAmount(timeout)
            )
            box.value = exchange
            exchange.start(deadline: deadline)
        }
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            loop.execute { box.value?.cancel() }
        }
    }

    /// Runs `work` on `loop` now when already there, else enqueues it.
    private static func onLoop(_ loop: any EventLoop, _ work: @escaping @Sendable () -> Void) {
        if loop.inEventLoop { work() } else { loop.execute(work) }
    }

    /// The parsed URL, the request head and the pool of the loop the request runs on.
    private func prepare(_ request: UpstreamRequest) throws -> (UpstreamURL, HTTPRequestHead, UpstreamConnectionPool) {
        guard !isShutDown.load(ordering: .acquiring) else {
            throw GatewayError(.upstream, "the transport is shut down")
        }
        guard let url = parsedURLs.value(for: request.url, make: { UpstreamURL(request.url) }) else {
            throw GatewayError(.upstream, "the provider URL is not a valid http(s) URL")
        }
        guard let pool = pools[ObjectIdentifier(group.any())] else {
            throw GatewayError(.internal, "the event loop group handed out a loop it did not list")
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 2)
        var hasHost = false
        for field in request.headers {
            if field.name == .contentLength || field.name == .transferEncoding { continue }
            if field.name.canonicalName == "host" { hasHost = true }
            headers.add(name: field.name.rawName, value: field.value)
        }
        if !hasHost { headers.add(name: "host", value: url.hostHeader) }
        // A body-less GET or HEAD goes without a length, as other clients send it.
        if request.body.readableBytes > 0 || (request.method != .get && request.method != .head) {
            headers.add(name: "content-length", value: String(request.body.readableBytes))
        }
        let head = HTTPRequestHead(
            version: .http1_1, method: HTTPMethod(rawValue: request.method.rawValue), uri: url.target, headers: headers
        )
        return (url, head, pool)
    }

    /// `error` as the transport contract states it: a `GatewayError`, or `CancellationError`.
    static func classify(_ error: any Error) -> any Error {
        if error is GatewayError || error is CancellationError { return error }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return GatewayError(.upstreamTimeout, "the provider did not answer in time", underlying: error)
        }
        return GatewayError(.upstream, "the connection to the provider failed", underlying: error)
    }

    /// Response headers as fields; names HTTPTypes rejects are skipped.
    static func fields(_ headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        fields.reserveCapacity(headers.count)
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return fields
    }
}
