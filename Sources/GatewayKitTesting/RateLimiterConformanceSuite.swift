public import GatewayKit

/// Checks that a ``GatewayKit/RateLimiter`` behaves as the protocol promises: an exact sliding
/// window, exact under concurrency, with independent keys.
///
/// Every backend runs it from its own tests. Each check throws ``Failure`` describing what went
/// wrong, so a test only has to `try await` it:
///
/// ```swift
/// @Test("the limiter allows the limit, then denies")
/// func allowsLimit() async throws {
///     try await RateLimiterConformanceSuite(limiter: limiter, window: .seconds(1)) { try await Task.sleep(for: $0) }
///         .allowsTheLimitThenDenies()
/// }
/// ```
///
/// Each check uses fresh random keys, so a suite can run against a shared server.
public struct RateLimiterConformanceSuite: Sendable {
    /// A check that did not hold.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What was expected and what happened.
        public var description: String
    }

    private let limiter: any RateLimiter
    private let window: Duration
    private let wait: @Sendable (Duration) async throws -> Void
    private let limit: Int

    /// Creates a suite for `limiter`.
    /// - Parameters:
    ///   - limiter: the limiter under test.
    ///   - window: the window the checks use; short (one or two seconds) for a real-time backend.
    ///   - limit: the limit the checks use; at least 2.
    ///   - wait: lets `duration` pass on the limiter's clock: `Task.sleep` for real time,
    ///     `ManualClock.advance(by:)` for a manual clock.
    public init(
        limiter: any RateLimiter,
        window: Duration,
        limit: Int = 5,
        wait: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.limiter = limiter
        self.window = window
        self.limit = max(limit, 2)
        self.wait = wait
    }

    /// Runs every check, one after another.
    /// - Throws: ``Failure`` from the first check that does not hold, or what the limiter threw.
    public func run() async throws {
        try await allowsTheLimitThenDenies()
        try await isExactUnderConcurrency()
        try await keepsKeysIndependent()
        try await freesSlotsAfterTheWindow()
    }

    /// `limit` requests are allowed with a decreasing `remaining`; the next is denied with a
    /// `retryAfter` above zero and at most one window.
    /// - Throws: ``Failure`` when that does not hold.
    public func allowsTheLimitThenDenies() async throws {
        let key = Self.freshKey("limit")
        for index in 0..<limit {
            let decision = try await limiter.acquire(key, limit: limit, window: window)
            try expect(decision.allowed, "request \(index + 1) of \(limit) was denied")
            try expect(decision.limit == limit, "decision.limit is \(decision.limit), expected \(limit)")
            try expect(
                decision.remaining == limit - index - 1,
                "request \(index + 1) left remaining \(decision.remaining), expected \(limit - index - 1)"
            )
            try expect(decision.retryAfter == nil, "an allowed request carried retryAfter \(String(describing: decision.retryAfter))")
        }
        let denied = try await limiter.acquire(key, limit: limit, window: window)
        try expect(!denied.allowed, "request \(limit + 1) over a limit of \(limit) was allowed")
        try expect(denied.remaining == 0, "a denied request left remaining \(denied.remaining), expected 0")
        let retryAfter = try unwrap(denied.retryAfter, "a denied request has no retryAfter")
        try expect(
            retryAfter > .zero && retryAfter <= window,
            "retryAfter is \(retryAfter), expected above zero and at most the window \(window)"
        )
    }

    /// Many concurrent acquires on one key allow exactly `limit`.
    /// - Parameter requests: how many acquires race; at least 200 by default.
    /// - Throws: ``Failure`` when more or fewer than `limit` are allowed.
    public func isExactUnderConcurrency(requests: Int = 250) async throws {
        let key = Self.freshKey("concurrent")
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<requests {
                group.addTask { try await limiter.acquire(key, limit: limit, window: window).allowed }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        try expect(allowed == limit, "\(requests) concurrent acquires allowed \(allowed), expected exactly \(limit)")
    }

    /// Filling one key's window leaves another key's untouched.
    /// - Throws: ``Failure`` when a request on a second key is denied.
    public func keepsKeysIndependent() async throws {
        let first = Self.freshKey("first")
        let second = Self.freshKey("second")
        for _ in 0...limit {
            _ = try await limiter.acquire(first, limit: limit, window: window)
        }
        let firstAgain = try await limiter.acquire(first, limit: limit, window: window)
        try expect(!firstAgain.allowed, "the full key allowed a request over its limit")
        for index in 0..<limit {
            let decision = try await limiter.acquire(second, limit: limit, window: window)
            try expect(decision.allowed, "request \(index + 1) on a second key was denied after the first filled up")
        }
    }

    /// Once a full window has passed, all `limit` slots are free again.
    /// - Throws: ``Failure`` when a request after the window is denied.
    public func freesSlotsAfterTheWindow() async throws {
        let key = Self.freshKey("expiry")
        for _ in 0..<limit {
            _ = try await limiter.acquire(key, limit: limit, window: window)
        }
        let full = try await limiter.acquire(key, limit: limit, window: window)
        try expect(!full.allowed, "the window allowed more than \(limit) requests")
        try await wait(window)
        for index in 0..<limit {
            let decision = try await limiter.acquire(key, limit: limit, window: window)
            try expect(decision.allowed, "request \(index + 1) after the window passed was denied")
        }
    }

    private static func freshKey(_ name: String) -> RateLimitKey {
        RateLimitKey(rawValue: "conformance:\(name):\(UInt64.random(in: .min ... .max))")
    }

    private func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw Failure(description: message()) }
    }

    private func unwrap<T>(_ value: T?, _ message: String) throws -> T {
        guard let value else { throw Failure(description: message) }
        return value
    }
}
