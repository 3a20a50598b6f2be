public import AsyncHTTPClient
import HTTPTypes
import NIOCore
import NIOHTTP1

/// An ``HTTPTransport`` over AsyncHTTPClient: one shared client, pooled connections.
public struct HTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    private let maxResponseBytes: Int

    /// Creates a transport on `client`.
    /// - Parameters:
    ///   - client: the client; defaults to AsyncHTTPClient's shared singleton.
    ///   - maxResponseBytes: the largest complete response read.
    public init(client: HTTPClient = .shared, maxResponseBytes: Int = 32 << 20) {
        self.client = client
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: UpstreamRequest, timeout: Duration) async throws -> UpstreamResponse {
        let response = try await execute(request, timeout: timeout)
        var body = ByteBuffer()
        do {
            for try await var piece in response.body {
                guard body.readableBytes + piece.readableBytes <= maxResponseBytes else {
                    throw GatewayError(.upstream, "the provider's response is larger than \(maxResponseBytes) bytes")
                }
                body.writeBuffer(&piece)
            }
        } catch {
            throw Self.classify(error)
        }
        return UpstreamResponse(status: Int(response.status.code), headers: Self.fields(response.headers), body: body)
    }

    public func stream(_ request: UpstreamRequest, timeout: Duration) async throws -> UpstreamStreamingResponse {
        let response = try await execute(request, timeout: timeout)
        return UpstreamStreamingResponse(
            status: Int(response.status.code), headers: Self.fields(response.headers),
            body: UpstreamBody(BodySequence(body: response.body))
        )
    }

    private func execute(_ request: UpstreamRequest, timeout: Duration) async throws -> HTTPClientResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        outgoing.body = .bytes(request.body)
        do {
            return try await client.execute(outgoing, timeout: .nanoseconds(timeout.nanoseconds))
        } catch {
            throw Self.classify(error)
        }
    }

    static func classify(_ error: any Error) -> any Error {
        if error is GatewayError || error is CancellationError { return error }
        if let error = error as? HTTPClientError,
            error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
        {
            return GatewayError(.upstreamTimeout, "the provider did not answer in time", underlying: error)
        }
        return GatewayError(.upstream, "the connection to the provider failed", underlying: error)
    }

    private static func fields(_ headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return fields
    }
}

/// A response body whose transport errors are classified as `GatewayError`s.
private struct BodySequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let body: HTTPClientResponse.Body

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: HTTPClientResponse.Body.AsyncIterator
        mutating func next() async throws -> ByteBuffer? {
            do {
                return try await base.next(isolation: nil)
            } catch {
                throw HTTPClientTransport.classify(error)
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: body.makeAsyncIterator()) }
}
