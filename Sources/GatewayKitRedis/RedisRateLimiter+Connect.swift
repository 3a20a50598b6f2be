public import CoreMetrics
public import GatewayKit
public import Logging

extension RedisRateLimiter {
    /// Connects to Redis, checks that it can be used, and returns a limiter.
    ///
    /// Opens one connection, authenticates, selects the database, loads the script and runs it
    /// once on a probe key, so a wrong password, a missing database or a Redis that refuses
    /// scripts is reported here rather than as a silent fallback on every request.
    /// - Parameters:
    ///   - configuration: where Redis is and how to use it.
    ///   - logger: where the limiter logs its transitions to and from degraded mode.
    ///   - metricsFactory: the metrics backend; defaults to the global `MetricsSystem.factory`.
    /// - Returns: a connected limiter; call ``shutdown()`` when done with it.
    /// - Throws: `GatewayError` `invalidRequest` for an invalid configuration, and
    ///   `storageUnavailable` when Redis cannot be reached, refuses the credentials or the
    ///   database, or refuses scripts. Messages name the problem and never the password.
    public static func connect(
        _ configuration: Configuration,
        logger: Logger,
        metricsFactory: (any MetricsFactory)? = nil
    ) async throws(GatewayError) -> RedisRateLimiter {
        try configuration.validate()
        let pool = RedisConnectionPool(configuration: configuration)
        let probeKey = configuration.keyPrefix + "{gatewaykit:connect-probe}"
        let result = await pool.run(timeout: configuration.connectTimeout + configuration.commandTimeout * 3) {
            connection throws(RedisFailure) -> String in
            let loaded = try connection.command(["SCRIPT", "LOAD", SlidingWindowScript.source])
            if case .error(let message) = loaded { throw .server(message) }
            guard let sha = loaded.text else { throw .unexpectedReply(String(describing: loaded)) }
            let arguments = SlidingWindowScript.arguments(
                sha: sha, key: probeKey, limit: 1, window: .milliseconds(1), member: "probe"
            )
            _ = try evaluate(arguments, on: connection, limit: 1)
            return sha
        }
        switch result {
        case .success(let sha):
            logger.info("Redis rate limiter connected", metadata: ["gateway.redis.address": "\(configuration.address)"])
            return RedisRateLimiter(
                configuration: configuration,
                pool: pool,
                scriptSHA: sha,
                logger: logger,
                metricsFactory: metricsFactory ?? MetricsSystem.factory
            )
        case .failure(let failure):
            await pool.shutdown()
            throw connectError(failure, configuration: configuration)
        }
    }

    private static func connectError(_ failure: RedisFailure, configuration: Configuration) -> GatewayError {
        let address = configuration.address
        let message: String
        switch failure {
        case .connection(let reason):
            message = "could not connect to Redis at \(address): \(reason)"
        case .timedOut:
            message = "Redis at \(address) did not answer within the connect and command timeouts"
        case .authentication(let reply):
            let who = configuration.username.map { "user '\($0)'" } ?? "the default user"
            message = "Redis at \(address) refused the password for \(who) (\(reply)); check the Redis URL"
        case .database(let reply):
            message = "Redis at \(address) refused database \(configuration.database) (\(reply)); "
                + "check the database number in the Redis URL"
        case .server(let reply) where reply.hasPrefix("NOAUTH"):
            message = "Redis at \(address) requires a password and the Redis URL has none (\(reply))"
        case .server(let reply):
            message = "Redis at \(address) refuses the rate-limit Lua script (\(reply)); the limiter needs "
                + "SCRIPT LOAD and EVALSHA to be allowed"
        case .unexpectedReply(let reply):
            message = "Redis at \(address) answered the rate-limit script unexpectedly: \(reply)"
        case .shutDown:
            message = "the Redis rate limiter was shut down while connecting"
        }
        return GatewayError(.storageUnavailable, message, field: "redis_url", underlying: failure)
    }
}
