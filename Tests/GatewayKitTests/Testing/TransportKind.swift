import GatewayKit
import NIOPosix
import Testing

/// The ``HTTPTransport`` implementations the transport behaviour tests run against.
enum TransportKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case asyncHTTPClient
    case nio

    var testDescription: String { rawValue }

    // One loop, so that requests from test tasks (which run on no event loop) all share one pool,
    // as requests from a gateway-server connection share their loop's pool.
    static let nioGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Runs `body` with a transport of this kind and shuts it down afterwards, also on failure.
    func withTransport<T>(
        _ configuration: HTTPClientTransport.Configuration? = nil, _ body: (any HTTPTransport) async throws -> T
    ) async throws -> T {
        switch self {
        case .asyncHTTPClient:
            guard let configuration else { return try await body(HTTPClientTransport()) }
            let transport = HTTPClientTransport(maxResponseBytes: configuration.maxResponseBytes)
            return try await body(transport)
        case .nio:
            let transport = NIOHTTPTransport(configuration: configuration ?? .init(), eventLoopGroup: Self.nioGroup)
            do {
                let result = try await body(transport)
                await transport.shutdown()
                return result
            } catch {
                await transport.shutdown()
                throw error
            }
        }
    }
}
