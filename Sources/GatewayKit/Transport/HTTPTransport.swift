public import HTTPTypes
public import NIOCore

/// An HTTP request to a provider, built by a ``ProviderAdapter``.
public struct UpstreamRequest: Sendable {
    /// The method; `POST` for every chat call.
    public var method: HTTPRequest.Method
    /// The absolute URL.
    public var url: String
    /// The headers, credentials included: never log them.
    public var headers: HTTPFields
    /// The body.
    public var body: ByteBuffer

    /// Creates a request.
    public init(method: HTTPRequest.Method = .post, url: String, headers: HTTPFields = [:], body: ByteBuffer) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A complete HTTP response from a provider.
public struct UpstreamResponse: Sendable {
    /// The status code.
    public var status: Int
    /// The headers.
    public var headers: HTTPFields
    /// The whole body.
    public var body: ByteBuffer

    /// Creates a response.
    public init(status: Int, headers: HTTPFields = [:], body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A provider response whose body arrives in pieces.
public struct UpstreamStreamingResponse: Sendable {
    /// The status code.
    public var status: Int
    /// The headers.
    public var headers: HTTPFields
    /// The body, piece by piece. Stopping the iteration cancels the upstream request.
    public var body: UpstreamBody

    /// Creates a streaming response.
    public init(status: Int, headers: HTTPFields = [:], body: UpstreamBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A streamed response body: any async sequence of byte buffers.
public struct UpstreamBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    private let base: any (AsyncSequence<ByteBuffer, any Error> & Sendable)

    /// Wraps a sequence of byte buffers.
    public init(_ base: some AsyncSequence<ByteBuffer, any Error> & Sendable) {
        self.base = base
    }

    /// A body that yields the given buffers.
    public init(buffers: [ByteBuffer]) {
        self.base = BufferList(buffers: buffers)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: any AsyncIteratorProtocol<ByteBuffer, any Error>

        public mutating func next() async throws -> ByteBuffer? {
            try await base.next(isolation: nil)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator())
    }

    /// Collects the whole body, up to `maxBytes`.
    /// - Throws: `GatewayError` `upstream` when the body is larger than `maxBytes`.
    public func collect(upTo maxBytes: Int) async throws -> ByteBuffer {
        var out = ByteBuffer()
        for try await var piece in self {
            guard out.readableBytes + piece.readableBytes <= maxBytes else {
                throw GatewayError(.upstream, "the provider's response is larger than \(maxBytes) bytes")
            }
            out.writeBuffer(&piece)
        }
        return out
    }
}

private struct BufferList: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let buffers: [ByteBuffer]

    struct AsyncIterator: AsyncIteratorProtocol {
        var iterator: IndexingIterator<[ByteBuffer]>
        mutating func next() async throws -> ByteBuffer? { iterator.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(iterator: buffers.makeIterator()) }
}

/// Sends requests to providers. The router owns the transport; adapters never do I/O.
///
/// Implementations must throw `GatewayError`: `upstreamTimeout` when the deadline passes,
/// `upstream` with ``FailureClass/transient`` when the connection is refused, reset or fails.
/// A non-2xx status is not an error at this level: it is returned for the adapter to classify.
public protocol HTTPTransport: Sendable {
    /// Sends a request and collects the whole response before `timeout` passes.
    /// - Throws: `GatewayError` `upstreamTimeout` or `upstream`.
    func send(_ request: UpstreamRequest, timeout: Duration) async throws -> UpstreamResponse

    /// Sends a request and returns once the response head has arrived, within `timeout`; the
    /// body then streams. Cancelling the calling task, or dropping the body, cancels the request.
    /// - Throws: `GatewayError` `upstreamTimeout` or `upstream`.
    func stream(_ request: UpstreamRequest, timeout: Duration) async throws -> UpstreamStreamingResponse
}

@available(*, unavailable)
extension UpstreamBody.AsyncIterator: Sendable {}
