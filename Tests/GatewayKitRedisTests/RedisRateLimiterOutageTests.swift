import GatewayKit
import InMemoryLogging
import Logging
import MetricsTestKit
import Testing

@testable import GatewayKitRedis

/// Redis going away and coming back, on a redis-server of the test's own.
@Suite(.serialized) struct RedisRateLimiterOutageTests {
    let logs = InMemoryLogHandler()
    let metrics = TestMetrics()
    let timeout = Duration.milliseconds(300)
    // Room for scheduling on a busy two-core machine, on top of the command timeout.
    let slack = Duration.seconds(1)

    private func connect(_ server: RedisTestServer) async throws -> RedisRateLimiter {
        let configuration = try RedisRateLimiter.Configuration(
            url: server.url,
            poolSize: 2,
            connectTimeout: timeout,
            commandTimeout: timeout,
            probeInterval: .milliseconds(300)
        )
        let handler = logs
        return try await RedisRateLimiter.connect(
            configuration,
            logger: Logger(label: "redis-outage") { _ in handler },
            metricsFactory: metrics
        )
    }

    private func timedAcquire(_ limiter: RedisRateLimiter, _ key: RateLimitKey) async throws
        -> (RateLimitDecision, Duration)
    {
        let clock = ContinuousClock()
        let start = clock.now
        let decision = try await limiter.acquire(key, limit: 100, window: .seconds(60))
        return (decision, start.duration(to: clock.now))
    }

    private func logLines(containing text: String) -> Int {
        logs.entries.filter { $0.message.description.contains(text) }.count
    }

    /// Acquires until the limiter is back on Redis, for at most a few seconds.
    private func waitForRecovery(_ limiter: RedisRateLimiter, _ key: RateLimitKey) async throws {
        for _ in 0..<40 where limiter.isDegraded {
            try await Task.sleep(for: .milliseconds(100))
            _ = try await limiter.acquire(key, limit: 100, window: .seconds(60))
        }
    }

    @Test("a killed redis-server degrades within the timeout, requests are still decided, and a restart recovers")
    func killAndRestart() async throws {
        let server = try await RedisTestServer()
        let limiter = try await connect(server)
        let key = RateLimitKey.endpoint("outage")
        #expect(try await limiter.acquire(key, limit: 100, window: .seconds(60)).allowed)
        #expect(try metrics.expectGauge("gatewaykit_ratelimiter_degraded").lastValue == 0)

        server.kill()
        for _ in 0..<20 {
            let (decision, elapsed) = try await timedAcquire(limiter, key)
            #expect(decision.allowed)
            #expect(elapsed < timeout + slack)
        }
        #expect(limiter.isDegraded)
        #expect(try metrics.expectGauge("gatewaykit_ratelimiter_degraded").lastValue == 1)
        #expect(try metrics.expectCounter("gatewaykit_ratelimiter_fallback_decisions_total").totalValue >= 20)
        #expect(logLines(containing: "degraded") == 1, "one log line per transition, not per request")

        try await server.start()
        try await waitForRecovery(limiter, key)
        #expect(!limiter.isDegraded)
        #expect(try metrics.expectGauge("gatewaykit_ratelimiter_degraded").lastValue == 0)
        #expect(logLines(containing: "recovered") == 1)
        // The restarted server is empty: the entry there proves Redis decided again, through a
        // reloaded script on a new connection.
        let client = try RedisTestClient(port: server.port)
        let count = try client.command("ZCARD", limiter.redisKey(for: key))
        #expect(count != .integer(0))
        await limiter.shutdown()
    }

    @Test("a Redis that stops answering costs each request at most the timeout, and is used again when it resumes")
    func unresponsive() async throws {
        let server = try await RedisTestServer()
        let limiter = try await connect(server)
        let key = RateLimitKey.endpoint("frozen")
        #expect(try await limiter.acquire(key, limit: 100, window: .seconds(60)).allowed)

        server.pause()
        for _ in 0..<10 {
            let (decision, elapsed) = try await timedAcquire(limiter, key)
            #expect(decision.allowed)
            #expect(elapsed < timeout + slack)
        }
        #expect(limiter.isDegraded)
        #expect(logLines(containing: "degraded") == 1)

        server.resume()
        try await waitForRecovery(limiter, key)
        #expect(!limiter.isDegraded)
        await limiter.shutdown()
    }

    @Test("while degraded, the instance's own window still enforces the limit")
    func degradedStillLimits() async throws {
        let server = try await RedisTestServer()
        let limiter = try await connect(server)
        let key = RateLimitKey.endpoint("degraded-limit")
        server.kill()
        var allowed = 0
        for _ in 0..<8 {
            if try await limiter.acquire(key, limit: 5, window: .seconds(60)).allowed { allowed += 1 }
        }
        #expect(limiter.isDegraded)
        #expect(allowed == 5)
        await limiter.shutdown()
    }
}
