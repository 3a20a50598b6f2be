import GatewayKit
import GatewayKitTesting
import Testing

/// The shared conformance suite, run against the in-memory limiter on a manual clock.
@Suite struct RateLimiterConformanceSuiteTests {
    let clock = ManualClock()

    private var suite: RateLimiterConformanceSuite {
        let clock = clock
        return RateLimiterConformanceSuite(limiter: InMemoryRateLimiter(clock: clock), window: .seconds(60)) {
            clock.advance(by: $0)
        }
    }

    @Test("the in-memory limiter allows the limit, then denies with a retry-after within the window")
    func allowsTheLimitThenDenies() async throws {
        try await suite.allowsTheLimitThenDenies()
    }

    @Test("the in-memory limiter is exact under 250 concurrent acquires")
    func exactUnderConcurrency() async throws {
        try await suite.isExactUnderConcurrency()
    }

    @Test("the in-memory limiter keeps keys independent")
    func independentKeys() async throws {
        try await suite.keepsKeysIndependent()
    }

    @Test("the in-memory limiter frees every slot once the window has passed")
    func freesSlots() async throws {
        try await suite.freesSlotsAfterTheWindow()
    }

    @Test("the suite catches a limiter that never denies")
    func catchesABrokenLimiter() async throws {
        struct AlwaysAllow: RateLimiter {
            func acquire(_ key: RateLimitKey, limit: Int, window: Duration) async throws -> RateLimitDecision {
                RateLimitDecision(allowed: true, limit: limit, remaining: limit, retryAfter: nil)
            }
        }
        let broken = RateLimiterConformanceSuite(limiter: AlwaysAllow(), window: .seconds(1)) { _ in }
        await #expect(throws: RateLimiterConformanceSuite.Failure.self) { try await broken.run() }
        await #expect(throws: RateLimiterConformanceSuite.Failure.self) { try await broken.isExactUnderConcurrency() }
    }
}
