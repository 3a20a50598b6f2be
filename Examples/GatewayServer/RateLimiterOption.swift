import GatewayExampleSupport
import GatewayKit

/// The rate limiter the server uses: in memory, or Redis when `--redis` is given.
enum RateLimiterOption {
    static func make(redisURL: String?) throws(ExampleError) -> any RateLimiter {
        guard let redisURL else { return InMemoryRateLimiter() }
        // The Redis limiter is built on another branch; it plugs in here once merged.
        throw ExampleError("--redis \(redisURL): this build has no Redis rate limiter yet; leave --redis out")
    }
}
