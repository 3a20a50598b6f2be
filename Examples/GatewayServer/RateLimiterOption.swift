import GatewayExampleSupport
import GatewayKit
import GatewayKitRedis
import Logging

/// The rate limiter the server uses: in memory, or Redis when `--redis` is given, so several
/// instances share each endpoint's window.
enum RateLimiterOption {
    /// The limiter, and what to do with it when the server stops.
    static func make(redisURL: String?, logger: Logger) async throws -> (any RateLimiter, stop: @Sendable () async -> Void) {
        guard let redisURL else { return (InMemoryRateLimiter(), {}) }
        let limiter = try await RedisRateLimiter.connect(.init(url: redisURL), logger: logger)
        logger.info("rate limits are shared through Redis")
        return (limiter, { await limiter.shutdown() })
    }
}
