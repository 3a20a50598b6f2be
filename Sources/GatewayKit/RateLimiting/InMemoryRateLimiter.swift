import Synchronization

/// An exact sliding-window rate limiter for one gateway instance.
///
/// Each key keeps the instants of its allowed requests inside a `Mutex`; a decision is one lock
/// and no allocation once a key's window is full. Time comes from the injected clock, so tests
/// drive it with a manual clock.
public final class InMemoryRateLimiter<C: Clock<Duration>>: RateLimiter, Sendable where C.Instant: Sendable {
    private struct State: ~Copyable {
        var windows: [RateLimitKey: SlidingWindow<C.Instant>] = [:]
        var decisionsSinceSweep = 0
    }

    private let clock: C
    private let state = Mutex(State())

    /// Creates a limiter on `clock`.
    /// - Parameter clock: the clock windows are measured on.
    public init(clock: C) {
        self.clock = clock
    }

    public func acquire(_ key: RateLimitKey, limit: Int, window: Duration) async throws -> RateLimitDecision {
        decide(key, limit: limit, window: window)
    }

    /// The synchronous decision behind ``acquire(_:limit:window:)``.
    public func decide(_ key: RateLimitKey, limit: Int, window: Duration) -> RateLimitDecision {
        let now = clock.now
        return state.withLock { state in
            state.decisionsSinceSweep += 1
            // Drop idle keys now and then so a limiter over many endpoints does not grow forever.
            if state.decisionsSinceSweep >= 4096 {
                state.decisionsSinceSweep = 0
                state.windows = state.windows.filter { !$0.value.isIdle(at: now) }
            }
            return state.windows[key, default: SlidingWindow()].acquire(at: now, limit: limit, window: window)
        }
    }
}

extension InMemoryRateLimiter where C == ContinuousClock {
    /// Creates a limiter on the continuous clock.
    public convenience init() {
        self.init(clock: ContinuousClock())
    }
}
