import GatewayKit
import GatewayKitTesting
import Logging
import Testing

@testable import GatewayKitRedis

/// The shared `RateLimiter` conformance suite, run against Redis in real time.
@Suite(.serialized) struct RedisRateLimiterConformanceTests {
    private func withSuite(_ body: (RateLimiterConformanceSuite) async throws -> Void) async throws {
        let limiter = try await RedisRateLimiter.connect(
            SharedRedis.configuration(),
            logger: Logger(label: "redis-conformance")
        )
        let suite = RateLimiterConformanceSuite(limiter: limiter, window: .seconds(1)) {
            try await Task.sleep(for: $0)
        }
        do {
            try await body(suite)
            #expect(!limiter.isDegraded, "the limiter fell back to memory; the suite did not test Redis")
        } catch {
            await limiter.shutdown()
            throw error
        }
        await limiter.shutdown()
    }

    @Test("the Redis limiter allows the limit, then denies with a retry-after within the window")
    func allowsTheLimitThenDenies() async throws {
        try await withSuite { try await $0.allowsTheLimitThenDenies() }
    }

    @Test("the Redis limiter is exact under 250 concurrent acquires")
    func exactUnderConcurrency() async throws {
        try await withSuite { try await $0.isExactUnderConcurrency() }
    }

    @Test("the Redis limiter keeps keys independent")
    func independentKeys() async throws {
        try await withSuite { try await $0.keepsKeysIndependent() }
    }

    @Test("the Redis limiter frees every slot once the window has passed")
    func freesSlots() async throws {
        try await withSuite { try await $0.freesSlotsAfterTheWindow() }
    }
}
