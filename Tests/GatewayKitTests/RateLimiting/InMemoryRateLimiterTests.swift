import GatewayKit
import GatewayKitTesting
import Testing

@Suite struct InMemoryRateLimiterTests {
    let clock = ManualClock()
    let key = RateLimitKey.endpoint(Endpoint.Slug(rawValue: "production-gpt-4o"))

    @Test("allows the limit, then denies the next request")
    func allowsLimitThenDenies() async throws {
        let limiter = InMemoryRateLimiter(clock: clock)
        for expectedRemaining in (0..<3).reversed() {
            let decision = try await limiter.acquire(key, limit: 3, window: .seconds(60))
            #expect(decision == RateLimitDecision(allowed: true, limit: 3, remaining: expectedRemaining, retryAfter: nil))
        }
        let denied = try await limiter.acquire(key, limit: 3, window: .seconds(60))
        #expect(denied == RateLimitDecision(allowed: false, limit: 3, remaining: 0, retryAfter: .seconds(60)))
    }

    @Test("a slot frees exactly when the oldest request leaves the window, not a nanosecond before")
    func slotFreesExactlyAtWindowEdge() async throws {
        let limiter = InMemoryRateLimiter(clock: clock)
        _ = try await limiter.acquire(key, limit: 2, window: .seconds(10))
        clock.advance(by: .seconds(4))
        _ = try await limiter.acquire(key, limit: 2, window: .seconds(10))

        clock.advance(by: .seconds(6) - .nanoseconds(1))
        let early = try await limiter.acquire(key, limit: 2, window: .seconds(10))
        #expect(!early.allowed)
        #expect(early.retryAfter == .nanoseconds(1))

        clock.advance(by: .nanoseconds(1))
        let onTime = try await limiter.acquire(key, limit: 2, window: .seconds(10))
        #expect(onTime.allowed)
        // The second request, made 4 s after the first, still holds its slot for 4 s more.
        let next = try await limiter.acquire(key, limit: 2, window: .seconds(10))
        #expect(!next.allowed)
        #expect(next.retryAfter == .seconds(4))
    }

    @Test("the window slides: slots free one by one as requests age out")
    func slotsFreeOneByOne() async throws {
        let limiter = InMemoryRateLimiter(clock: clock)
        for _ in 0..<3 {
            #expect(try await limiter.acquire(key, limit: 3, window: .seconds(3)).allowed)
            clock.advance(by: .seconds(1))
        }
        // Now at 3 s: the first request (at 0 s) has just left; the ones at 1 s and 2 s remain.
        #expect(try await limiter.acquire(key, limit: 3, window: .seconds(3)).allowed)
        let denied = try await limiter.acquire(key, limit: 3, window: .seconds(3))
        #expect(denied.retryAfter == .seconds(1))
    }

    @Test("1,000 concurrent acquires allow exactly the limit")
    func exactUnderConcurrency() async throws {
        let limiter = InMemoryRateLimiter(clock: clock)
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<1_000 {
                group.addTask { try await limiter.acquire(key, limit: 50, window: .seconds(60)).allowed }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 50)
    }

    @Test("keys are counted independently")
    func independentKeys() async throws {
        let limiter = InMemoryRateLimiter(clock: clock)
        let other = RateLimitKey.endpoint(Endpoint.Slug(rawValue: "backup"))
        _ = try await limiter.acquire(key, limit: 1, window: .seconds(60))
        #expect(try await !limiter.acquire(key, limit: 1, window: .seconds(60)).allowed)
        #expect(try await limiter.acquire(other, limit: 1, window: .seconds(60)).allowed)
    }
}
