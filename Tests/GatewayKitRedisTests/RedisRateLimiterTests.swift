import GatewayKit
import GatewayKitTesting
import Logging
import Testing

@testable import GatewayKitRedis

@Suite(.serialized) struct RedisRateLimiterTests {
    let logger = Logger(label: "redis-rate-limiter-tests")

    @Test("two limiter instances firing 200 concurrent acquires at a limit of 50 allow exactly 50")
    func exactAcrossInstances() async throws {
        let configuration = try SharedRedis.configuration()
        let first = try await RedisRateLimiter.connect(configuration, logger: logger)
        let second = try await RedisRateLimiter.connect(configuration, logger: logger)
        let key = RateLimitKey.endpoint("shared-gpt-4o")
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                let limiter = index.isMultiple(of: 2) ? first : second
                group.addTask { try await limiter.acquire(key, limit: 50, window: .seconds(60)).allowed }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 50)
        #expect(!first.isDegraded && !second.isDegraded)
        let client = try RedisTestClient(url: SharedRedis.url())
        #expect(try client.command("ZCARD", first.redisKey(for: key)) == .integer(50))
        await first.shutdown()
        await second.shutdown()
    }

    @Test("the key is the prefix plus the limit key in a hash tag, and expires with the window")
    func keyLayout() async throws {
        let configuration = try SharedRedis.configuration()
        let limiter = try await RedisRateLimiter.connect(configuration, logger: logger)
        _ = try await limiter.acquire(.endpoint("support-bot"), limit: 5, window: .seconds(30))
        let key = configuration.keyPrefix + "{endpoint:support-bot}"
        #expect(limiter.redisKey(for: .endpoint("support-bot")) == key)
        let client = try RedisTestClient(url: SharedRedis.url())
        #expect(try client.command("TYPE", key) == .status("zset"))
        let ttl = try client.command("PTTL", key)
        guard case .integer(let milliseconds) = ttl else {
            Issue.record("PTTL answered \(ttl)")
            return
        }
        #expect(milliseconds > 0 && milliseconds <= 30_000)
        await limiter.shutdown()
    }

    @Test("after the window passes, slots free one by one as the oldest entries age out")
    func slidingWindow() async throws {
        let limiter = try await RedisRateLimiter.connect(SharedRedis.configuration(), logger: logger)
        let key = RateLimitKey.endpoint("sliding")
        let window = Duration.seconds(3)
        let spacing = Duration.seconds(1)
        // When each entry went in: a loaded machine oversleeps, and the gaps are what count.
        var admitted: [ContinuousClock.Instant] = []
        for index in 0..<3 {
            #expect(try await limiter.acquire(key, limit: 3, window: window).allowed)
            admitted.append(.now)
            if index < 2 { try await Task.sleep(for: spacing) }
        }
        var denied = try await limiter.acquire(key, limit: 3, window: window)
        #expect(!denied.allowed)
        // The oldest entry is about 2 s old: about 1 s until it leaves.
        var retryAfter = try #require(denied.retryAfter)
        #expect(retryAfter > .zero && retryAfter <= window - (admitted[2] - admitted[0]) + .milliseconds(20))
        for oldest in 0..<2 {
            try await Task.sleep(for: retryAfter + .milliseconds(50))
            // Exactly one slot has freed: one request fits, the next waits for the next-oldest,
            // which went in one gap after the entry that just left.
            #expect(try await limiter.acquire(key, limit: 3, window: window).allowed)
            denied = try await limiter.acquire(key, limit: 3, window: window)
            #expect(!denied.allowed)
            retryAfter = try #require(denied.retryAfter)
            let gap = admitted[oldest + 1] - admitted[oldest]
            #expect(retryAfter > .zero && retryAfter <= gap + .milliseconds(20))
        }
        #expect(!limiter.isDegraded)
        await limiter.shutdown()
    }

    @Test("SCRIPT FLUSH between calls is handled transparently by reloading the script")
    func scriptFlush() async throws {
        let limiter = try await RedisRateLimiter.connect(SharedRedis.configuration(poolSize: 1), logger: logger)
        let key = RateLimitKey.endpoint("flushed")
        let first = try await limiter.acquire(key, limit: 3, window: .seconds(60))
        #expect(first.remaining == 2)
        let client = try RedisTestClient(url: SharedRedis.url())
        try client.command("SCRIPT", "FLUSH")
        #expect(try client.command("SCRIPT", "EXISTS", limiter.scriptSHA) == .array([.integer(0)]))
        let second = try await limiter.acquire(key, limit: 3, window: .seconds(60))
        #expect(second.allowed)
        #expect(second.remaining == 1)
        #expect(!limiter.isDegraded)
        #expect(try client.command("SCRIPT", "EXISTS", limiter.scriptSHA) == .array([.integer(1)]))
        await limiter.shutdown()
    }

    @Test("a denied request's retry-after counts down to when the oldest entry leaves")
    func retryAfterFromRedisTime() async throws {
        let limiter = try await RedisRateLimiter.connect(SharedRedis.configuration(), logger: logger)
        let key = RateLimitKey.endpoint("retry-after")
        _ = try await limiter.acquire(key, limit: 1, window: .seconds(10))
        let denied = try await limiter.acquire(key, limit: 1, window: .seconds(10))
        let retryAfter = try #require(denied.retryAfter)
        #expect(!denied.allowed && denied.remaining == 0 && denied.limit == 1)
        #expect(retryAfter > .seconds(9) && retryAfter <= .seconds(10))
        await limiter.shutdown()
    }
}
