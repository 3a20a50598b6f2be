public import GatewayKit

extension RedisRateLimiter {
    /// Where the Redis server is and how the limiter talks to it.
    ///
    /// The password is held as a ``GatewayKit/Secret``, so printing a configuration never shows it.
    public struct Configuration: Sendable {
        /// The server's host name or IP address.
        public var host: String
        /// The server's TCP port.
        public var port: Int
        /// The ACL user to authenticate as, when the URL names one (`redis://user:password@…`).
        public var username: String?
        /// The password sent with `AUTH`, if any.
        public var password: Secret?
        /// The logical database selected with `SELECT`.
        public var database: Int
        /// How many connections, each used by one dedicated thread, the limiter keeps.
        public var poolSize: Int
        /// The most a new connection may take to open.
        public var connectTimeout: Duration
        /// The most a decision may wait for Redis, including the wait for a free connection;
        /// past it the request is decided by this instance's in-memory window.
        public var commandTimeout: Duration
        /// While degraded, how often one request tries Redis again.
        public var probeInterval: Duration
        /// The prefix of every limit's key; the limit key follows it inside a `{…}` hash tag.
        public var keyPrefix: String

        /// Creates a configuration from a `redis://` URL.
        /// - Parameters:
        ///   - url: `redis://[[user]:password@]host[:port][/db]`; the port defaults to 6379 and
        ///     the database to 0. Percent-escapes in the user and password are decoded.
        ///   - poolSize: connections (and threads) kept open; at least 1.
        ///   - connectTimeout: the most a new connection may take to open.
        ///   - commandTimeout: the most a decision waits for Redis before deciding locally.
        ///   - probeInterval: while degraded, how often one request tries Redis again.
        ///   - keyPrefix: the prefix of every limit's key; must not contain `{` or `}`.
        /// - Throws: `GatewayError` `invalidRequest` (field `redis_url` or the option at fault)
        ///   for a malformed URL or an out-of-range option. The message never shows the password.
        public init(
            url: String,
            poolSize: Int = 4,
            connectTimeout: Duration = .seconds(1),
            commandTimeout: Duration = .milliseconds(250),
            probeInterval: Duration = .seconds(2),
            keyPrefix: String = "gatewaykit:rl:"
        ) throws(GatewayError) {
            let parsed = try RedisURL(parsing: url)
            self.host = parsed.host
            self.port = parsed.port
            self.username = parsed.username
            self.password = parsed.password.map(Secret.init)
            self.database = parsed.database
            self.poolSize = poolSize
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.probeInterval = probeInterval
            self.keyPrefix = keyPrefix
            try validate()
        }

        /// Checks the options that the URL does not carry.
        func validate() throws(GatewayError) {
            guard poolSize >= 1 else {
                throw GatewayError(.invalidRequest, "the Redis pool size must be at least 1", field: "pool_size")
            }
            guard connectTimeout > .zero, commandTimeout > .zero, probeInterval > .zero else {
                throw GatewayError(.invalidRequest, "the Redis timeouts and probe interval must be positive")
            }
            guard !keyPrefix.contains("{"), !keyPrefix.contains("}") else {
                throw GatewayError(
                    .invalidRequest,
                    "the Redis key prefix must not contain '{' or '}': the limiter adds the hash tag itself",
                    field: "key_prefix"
                )
            }
        }

        /// `host:port/db`, for log lines and error messages; never the password.
        var address: String {
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "\(shownHost):\(port)/\(database)"
        }
    }
}
