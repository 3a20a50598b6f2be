public import GatewayKit
public import Logging
public import PostgresNIO

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PostgresGatewayStore {
    /// Where the store's PostgreSQL is and how the store behaves.
    ///
    /// Make one from a URL (`postgres://user:password@host:5432/database?sslmode=disable`) or from
    /// its parts. The password is held as a `Secret`, so printing a configuration never shows it.
    public struct Configuration: Sendable {
        /// Whether connections use TLS.
        public struct TLS: Sendable {
            enum Base: Sendable {
                case disable
                case prefer(TLSConfiguration)
                case require(TLSConfiguration)
            }

            let base: Base

            /// Plain TCP (`sslmode=disable`); for loopback and private networks.
            public static let disable = TLS(base: .disable)

            /// TLS when the server offers it, plain TCP otherwise (`sslmode=prefer`).
            /// - Parameter configuration: the TLS settings, certificate checks included.
            /// - Returns: the mode.
            public static func prefer(_ configuration: TLSConfiguration) -> TLS { TLS(base: .prefer(configuration)) }

            /// TLS or no connection (`sslmode=require`, `verify-ca`, `verify-full`).
            /// - Parameter configuration: the TLS settings, certificate checks included.
            /// - Returns: the mode.
            public static func require(_ configuration: TLSConfiguration) -> TLS { TLS(base: .require(configuration)) }
        }

        /// The server's host name or IP address.
        public var host: String
        /// The server's TCP port.
        public var port: Int
        /// The user to connect as.
        public var username: String
        /// The user's password, if the server asks for one.
        public var password: Secret?
        /// The database holding the gateway's tables (`gatewaykit_*`).
        public var database: String
        /// Whether connections use TLS.
        public var tls: TLS
        /// Connection pool options (pool size, connect timeout, keep-alive), as PostgresNIO takes them.
        public var options: PostgresClient.Configuration.Options
        /// How long one store call may wait for a connection and its answer before it fails with
        /// `storageUnavailable`; also bounds the schema migration at start.
        public var operationTimeout: Duration
        /// The first pause before the change feed reconnects after losing its connection; each
        /// failed attempt doubles it, up to ``maximumReconnectDelay``.
        public var reconnectDelay: Duration
        /// The longest pause between the change feed's reconnection attempts.
        public var maximumReconnectDelay: Duration
        /// Where the store logs reconnections and failures; nothing by default.
        public var logger: Logger

        /// Creates a configuration from its parts.
        /// - Parameters:
        ///   - host: the server's host name or IP address.
        ///   - port: the server's port; 5432 by default.
        ///   - username: the user to connect as.
        ///   - password: the user's password, if any.
        ///   - database: the database to use.
        ///   - tls: TLS mode; `.disable` suits loopback only.
        public init(host: String, port: Int = 5432, username: String, password: Secret?, database: String, tls: TLS) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.tls = tls
            self.options = .init()
            self.operationTimeout = .seconds(10)
            self.reconnectDelay = .milliseconds(100)
            self.maximumReconnectDelay = .seconds(5)
            self.logger = Logger(label: "gatewaykit.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        }

        /// Creates a configuration from a PostgreSQL URL:
        /// `postgres://user:password@host:port/database?sslmode=disable`.
        ///
        /// User and password may be percent-encoded. `sslmode` takes libpq's values: `disable`,
        /// `allow` and `prefer` (TLS if offered, certificates not checked), `require` (TLS,
        /// certificates not checked), `verify-ca` (chain checked) and `verify-full` (chain and
        /// host name checked). Without `sslmode`, a loopback host (`localhost`, `127.0.0.1`,
        /// `::1`) uses `disable` and any other host `prefer`.
        /// - Parameter url: the URL; the scheme is `postgres` or `postgresql`.
        /// - Throws: `GatewayError` `invalidRequest` (field `store`) naming what is wrong; the
        ///   message never repeats the URL, so a password in it is never shown.
        public init(url: String) throws(GatewayError) {
            let parsed = try ParsedURL(url)
            self.init(
                host: parsed.host, port: parsed.port, username: parsed.username, password: parsed.password,
                database: parsed.database, tls: parsed.tls
            )
        }

        var clientConfiguration: PostgresClient.Configuration {
            var client = PostgresClient.Configuration(
                host: host, port: port, username: username, password: password?.reveal(), database: database,
                tls: clientTLS
            )
            client.options = options
            return client
        }

        // Throws when the TLS configuration cannot be turned into a context (unreadable certificates).
        func connectionConfiguration() throws -> PostgresConnection.Configuration {
            var connection = PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password?.reveal(), database: database,
                tls: try connectionTLS()
            )
            connection.options.connectTimeout = TimeAmount.nanoseconds(options.connectTimeout.nanoseconds)
            return connection
        }

        private var clientTLS: PostgresClient.Configuration.TLS {
            switch tls.base {
            case .disable: .disable
            case .prefer(let configuration): .prefer(configuration)
            case .require(let configuration): .require(configuration)
            }
        }

        private func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
            switch tls.base {
            case .disable: .disable
            case .prefer(let configuration): .prefer(try NIOSSLContext(configuration: configuration))
            case .require(let configuration): .require(try NIOSSLContext(configuration: configuration))
            }
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

// The parts of a `postgres://` URL. Errors name the part at fault and never echo the URL.
private struct ParsedURL {
    var host: String
    var port: Int
    var username: String
    var password: Secret?
    var database: String
    var tls: PostgresGatewayStore.Configuration.TLS

    init(_ url: String) throws(GatewayError) {
        guard let components = URLComponents(string: url) else {
            throw Self.invalid("it is not a valid URL (write postgres://user:password@host:5432/database)")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw Self.invalid("its scheme must be postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else { throw Self.invalid("it names no host") }
        guard let username = components.user, !username.isEmpty else { throw Self.invalid("it names no user") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw Self.invalid("it must name one database as its path (…/gatewaykit)")
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.username = username
        self.password = components.password.map(Secret.init)
        self.database = database
        let mode = components.queryItems?.last { $0.name == "sslmode" }?.value
        self.tls = try Self.tls(mode: mode, host: self.host)
    }

    static func tls(mode: String?, host: String) throws(GatewayError) -> PostgresGatewayStore.Configuration.TLS {
        let loopback = ["localhost", "127.0.0.1", "::1"].contains(host.lowercased())
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        switch mode ?? (loopback ? "disable" : "prefer") {
        case "disable": return .disable
        case "allow", "prefer": return .prefer(unverified)
        case "require": return .require(unverified)
        case "verify-ca":
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .noHostnameVerification
            return .require(configuration)
        case "verify-full": return .require(.makeClientConfiguration())
        default:
            throw invalid("its sslmode must be disable, allow, prefer, require, verify-ca or verify-full")
        }
    }

    static func invalid(_ reason: String) -> GatewayError {
        GatewayError(.invalidRequest, "the PostgreSQL URL cannot be used: \(reason)", field: "store")
    }
}
