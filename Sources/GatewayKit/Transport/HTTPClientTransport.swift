public import AsyncHTTPClient
import HTTPTypes
import NIOCore
import NIOHTTP1

/// An ``HTTPTransport`` over AsyncHTTPClient, with pooled keep-alive connections.
///
/// Timeouts are enforced per request by one event-loop timer each, with no extra Swift task:
/// ``send(_:timeout:)`` bounds the whole exchange (head and complete body); ``stream(_:timeout:)``
/// bounds the wait for the head and then every wait for the next body piece (an idle timeout that
/// does not count time the consumer spends not asking for more).
///
/// Lifecycle: ``init(maxResponseBytes:)`` shares one process-wide client that is never shut down,
/// so it needs no cleanup. ``init(configuration:)`` creates a client this transport owns: call
/// ``shutdown()`` once it is no longer used. ``init(client:maxResponseBytes:)`` borrows a client
/// whose owner shuts it down.
public struct HTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    private let ownsClient: Bool
    private let maxResponseBytes: Int
    private let templates = RequestTemplates()

    /// A transport on the process-wide client built from the default ``Configuration``; no shutdown needed.
    /// - Parameter maxResponseBytes: the largest complete response ``send(_:timeout:)`` reads.
    public init(maxResponseBytes: Int = Configuration().maxResponseBytes) {
        self.client = Self.sharedClient
        self.ownsClient = false
        self.maxResponseBytes = maxResponseBytes
    }

    /// A transport on a client it creates and owns; call ``shutdown()`` when done with it.
    /// - Parameter configuration: the connection settings.
    public init(configuration: Configuration) {
        self.client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration.clientConfiguration
        )
        self.ownsClient = true
        self.maxResponseBytes = configuration.maxResponseBytes
    }

    /// A transport on `client`, which its owner configures and shuts down.
    ///
    /// For prompt failures prefer a client with redirects disabled and
    /// `connectionPool.retryConnectionEstablishment` off, as ``Configuration`` sets up.
    /// - Parameters:
    ///   - client: the client.
    ///   - maxResponseBytes: the largest complete response ``send(_:timeout:)`` reads.
    public init(client: HTTPClient, maxResponseBytes: Int = Configuration().maxResponseBytes) {
        self.client = client
        self.ownsClient = false
        self.maxResponseBytes = maxResponseBytes
    }

    private static let sharedClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: Configuration().clientConfiguration
    )

    /// Shuts down the client this transport owns, closing its connections; does nothing for a shared
    /// or borrowed client. Requests after this fail.
    /// - Throws: the client's shutdown error.
    public func shutdown() async throws {
        if ownsClient { try await client.shutdown() }
    }

    /// Sends `request` and collects the whole response; the exchange must finish within `timeout`.
    /// Cancelling the calling task cancels the request and closes its connection.
    /// - Parameters:
    ///   - request: the request.
    ///   - timeout: the time allowed for the head and the complete body.
    /// - Returns: the response, whatever its status.
    /// - Throws: `GatewayError` `upstreamTimeout` when `timeout` passes; `upstream` when the
    ///   connection fails or the body is over the size limit; `CancellationError` when cancelled.
    public func send(_ request: UpstreamRequest, timeout: Duration) async throws -> UpstreamResponse {
        do {
            let outgoing = try makeRequest(request)
            let limit = min(max(0, maxResponseBytes), Int(UInt32.max))
            let task = client.execute(
                request: outgoing, delegate: ResponseAccumulator(request: outgoing, maxBodySize: limit),
                eventLoop: .indifferent, deadline: .now() + TimeAmount(timeout)
            )
            let response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            return UpstreamResponse(
                status: Int(response.status.code), headers: Self.fields(response.headers),
                body: response.body ?? ByteBuffer()
            )
        } catch {
            throw Self.classify(error, limit: maxResponseBytes)
        }
    }

    /// Sends `request` and returns once the response head arrives, within `timeout`. The body then
    /// streams; each wait for its next piece may last at most `timeout`. Cancelling the calling task,
    /// cancelling the body's consumer, or dropping the body cancels the request and closes its connection.
    /// - Parameters:
    ///   - request: the request.
    ///   - timeout: the time allowed for the head, and then for each body piece.
    /// - Returns: the response with its streaming body, whatever its status.
    /// - Throws: `GatewayError` `upstreamTimeout` or `upstream`, here or from the body's iteration;
    ///   `CancellationError` when cancelled.
    public func stream(_ request: UpstreamRequest, timeout: Duration) async throws -> UpstreamStreamingResponse {
        let outgoing: HTTPClient.Request
        do {
            outgoing = try makeRequest(request)
        } catch {
            throw Self.classify(error, limit: maxResponseBytes)
        }
        let delegate = StreamingResponseDelegate(idleTimeout: TimeAmount(timeout))
        let body = delegate.makeBody()
        let client = self.client
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                delegate.start(continuation) {
                    client.execute(request: outgoing, delegate: delegate, eventLoop: .indifferent, deadline: nil)
                }
            }
        } onCancel: {
            delegate.cancel()
        }
        return UpstreamStreamingResponse(status: Int(head.status.code), headers: Self.fields(head.headers), body: body)
    }

    private func makeRequest(_ request: UpstreamRequest) throws -> HTTPClient.Request {
        var outgoing = try templates.request(method: request.method, url: request.url)
        outgoing.headers.reserveCapacity(request.headers.count)
        for field in request.headers {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        outgoing.body = .byteBuffer(request.body)
        return outgoing
    }

    /// `error` as the transport contract states it: a `GatewayError`, or `CancellationError`.
    static func classify(_ error: any Error, limit: Int = 0) -> any Error {
        if error is GatewayError || error is CancellationError { return error }
        if error is ResponseAccumulator.ResponseTooBigError {
            return GatewayError(.upstream, "the provider's response is larger than \(limit) bytes", underlying: error)
        }
        if let error = error as? HTTPClientError {
            if error == .cancelled { return CancellationError() }
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
                || error == .getConnectionFromPoolTimeout
            {
                return GatewayError(.upstreamTimeout, "the provider did not answer in time", underlying: error)
            }
            if error == .invalidURL || error == .emptyHost || error == .emptyScheme {
                return GatewayError(.upstream, "the provider URL is not a valid http(s) URL", underlying: error)
            }
        }
        return GatewayError(.upstream, "the connection to the provider failed", underlying: error)
    }

    private static func fields(_ headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        fields.reserveCapacity(headers.count)
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return fields
    }
}
