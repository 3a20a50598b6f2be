import AsyncHTTPClient
import NIOCore

extension HTTPClientTransport {
    /// How an ``HTTPClientTransport`` connects to providers.
    public struct Configuration: Sendable, Hashable {
        /// The time allowed to open a TCP (and TLS) connection.
        public var connectTimeout: Duration
        /// How long an unused pooled connection stays open.
        public var idleConnectionTimeout: Duration
        /// The pooled HTTP/1.1 connections kept per host.
        public var maxConnectionsPerHost: Int
        /// The largest complete response ``HTTPClientTransport/send(_:timeout:)`` reads.
        public var maxResponseBytes: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - connectTimeout: the time allowed to open a connection; 10 seconds by default.
        ///   - idleConnectionTimeout: how long an unused connection stays pooled; 60 seconds by default.
        ///   - maxConnectionsPerHost: pooled HTTP/1.1 connections per host; 64 by default.
        ///   - maxResponseBytes: the largest complete response; 32 MiB by default.
        public init(
            connectTimeout: Duration = .seconds(10),
            idleConnectionTimeout: Duration = .seconds(60),
            maxConnectionsPerHost: Int = 64,
            maxResponseBytes: Int = 32 << 20
        ) {
            self.connectTimeout = connectTimeout
            self.idleConnectionTimeout = idleConnectionTimeout
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxResponseBytes = maxResponseBytes
        }

        var clientConfiguration: HTTPClient.Configuration {
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                // No client-wide read timeout: each request brings its own (see HTTPClientTransport).
                timeout: .init(connect: TimeAmount(connectTimeout), read: nil),
                decompression: .disabled
            )
            configuration.connectionPool = .init(
                idleTimeout: TimeAmount(idleConnectionTimeout),
                concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maxConnectionsPerHost)
            )
            // A refused connection fails the request at once, so the router can fall back, instead
            // of being retried with backoff until the connect timeout.
            configuration.connectionPool.retryConnectionEstablishment = false
            return configuration
        }
    }
}
