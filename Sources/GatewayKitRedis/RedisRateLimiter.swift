import CoreMetrics
public import GatewayKit
import Logging
import Synchronization

/// A sliding-window rate limiter shared by every gateway instance that uses the same Redis.
///
/// Each decision is one atomic round trip: a Lua script, loaded once and run with `EVALSHA`,
/// trims the limit's sorted set to the window, counts it, and adds the request when it fits.
/// Time comes from Redis, so instances with skewed clocks share one window, and the script's
/// atomicity makes the count exact under any concurrency. The key is the configured prefix
/// followed by the ``GatewayKit/RateLimitKey`` inside a `{…}` hash tag, so a Redis Cluster can
/// run the script.
///
/// hiredis blocks, so calls run on the limiter's own threads, one per pooled connection.
/// When Redis is unreachable or slower than ``Configuration/commandTimeout``, the limiter is
/// *degraded*: requests are decided by this instance's in-memory sliding window, one log line
/// marks the transition, the `gatewaykit_ratelimiter_degraded` gauge reads 1 and
/// `gatewaykit_ratelimiter_fallback_decisions_total` counts local decisions. One request per
/// ``Configuration/probeInterval`` tries Redis again; when it answers, the limiter recovers.
///
/// ```swift
/// let limiter = try await RedisRateLimiter.connect(
///     .init(url: "redis://:password@127.0.0.1:6379/0"), logger: logger)
/// let decision = try await limiter.acquire(.endpoint(slug), limit: 600, window: .seconds(60))
/// ```
public final class RedisRateLimiter: RateLimiter, Sendable {
    /// The configuration the limiter was connected with.
    public let configuration: Configuration

    let pool: RedisConnectionPool
    let scriptSHA: String
    private let local = InMemoryRateLimiter<ContinuousClock>()
    private let clock = ContinuousClock()
    private let health: Mutex<RedisHealth<ContinuousClock.Instant>>
    private let instanceID = String(UInt64.random(in: .min ... .max), radix: 36)
    private let requestCounter = Atomic<UInt64>(0)
    private let logger: Logger
    private let degradedGauge: Gauge
    private let fallbackDecisions: Counter

    init(
        configuration: Configuration,
        pool: RedisConnectionPool,
        scriptSHA: String,
        logger: Logger,
        metricsFactory: any MetricsFactory
    ) {
        self.configuration = configuration
        self.pool = pool
        self.scriptSHA = scriptSHA
        self.logger = logger
        self.health = Mutex(RedisHealth(probeInterval: configuration.probeInterval))
        self.degradedGauge = Gauge(label: "gatewaykit_ratelimiter_degraded", factory: metricsFactory)
        self.fallbackDecisions = Counter(
            label: "gatewaykit_ratelimiter_fallback_decisions_total",
            factory: metricsFactory
        )
        degradedGauge.record(0)
    }

    /// Whether Redis is currently bypassed and decisions are made by this instance alone.
    public var isDegraded: Bool {
        health.withLock { $0.isDegraded }
    }

    /// Counts a request against `key` in Redis if it fits, and says whether it did.
    ///
    /// Never waits longer than ``Configuration/commandTimeout`` for Redis: past it, or when
    /// Redis fails, the request is decided by this instance's in-memory window.
    /// - Parameters:
    ///   - key: what the limit is counted against.
    ///   - limit: the most requests per window; values below 1 count as 1.
    ///   - window: the window's length; Redis counts it in microseconds, at least 1 ms.
    /// - Throws: never; an unreachable Redis degrades instead.
    public func acquire(_ key: RateLimitKey, limit: Int, window: Duration) async throws -> RateLimitDecision {
        let limit = max(limit, 1)
        let ticket = health.withLock { $0.route(at: clock.now) }
        guard ticket.route != .local else {
            return decideLocally(key, limit: limit, window: window)
        }
        let sha = scriptSHA
        let arguments = SlidingWindowScript.arguments(
            sha: sha,
            key: redisKey(for: key),
            limit: limit,
            window: window,
            member: instanceID + ":" + String(requestCounter.add(1, ordering: .relaxed).newValue)
        )
        let result = await pool.run(timeout: configuration.commandTimeout) { connection throws(RedisFailure) in
            try Self.evaluate(arguments, on: connection, limit: limit)
        }
        switch result {
        case .success(let decision):
            if let transition = health.withLock({ $0.succeeded(ticket) }) { publish(transition, cause: nil) }
            return decision
        case .failure(let failure):
            let now = clock.now
            if let transition = health.withLock({ $0.failed(ticket, at: now) }) { publish(transition, cause: failure) }
            return decideLocally(key, limit: limit, window: window)
        }
    }

    /// Closes the connections and stops the limiter's threads. Later decisions are made in memory.
    public func shutdown() async {
        await pool.shutdown()
    }

    /// The Redis key of a limit: the prefix, then the limit key as a Redis Cluster hash tag.
    func redisKey(for key: RateLimitKey) -> String {
        configuration.keyPrefix + "{" + key.rawValue + "}"
    }

    /// Runs the script, loading it again if the server has lost it (a restart or `SCRIPT FLUSH`).
    static func evaluate(_ arguments: [String], on connection: RedisConnection, limit: Int) throws(RedisFailure)
        -> RateLimitDecision
    {
        var reply = try connection.command(arguments)
        if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
            let loaded = try connection.command(["SCRIPT", "LOAD", SlidingWindowScript.source])
            if case .error(let message) = loaded { throw .server(message) }
            reply = try connection.command(arguments)
        }
        return try SlidingWindowScript.decision(from: reply, limit: limit)
    }

    private func decideLocally(_ key: RateLimitKey, limit: Int, window: Duration) -> RateLimitDecision {
        fallbackDecisions.increment()
        return local.decide(key, limit: limit, window: window)
    }

    private func publish(_ transition: RedisHealth<ContinuousClock.Instant>.Transition, cause: RedisFailure?) {
        var metadata: Logger.Metadata = ["gateway.redis.address": "\(configuration.address)"]
        switch transition {
        case .degraded:
            degradedGauge.record(1)
            if let cause { metadata["gateway.redis.error"] = "\(cause)" }
            logger.info(
                "Redis rate limiter degraded: deciding with this instance's in-memory window until Redis answers",
                metadata: metadata
            )
        case .recovered:
            degradedGauge.record(0)
            logger.info("Redis rate limiter recovered: limits are shared through Redis again", metadata: metadata)
        }
    }
}
