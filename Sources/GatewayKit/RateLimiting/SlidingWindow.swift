/// An exact sliding-window log for one key: the instants of the requests allowed within the last
/// window, oldest first. A pure value: `acquire` decides and records, and does no I/O.
struct SlidingWindow<Instant: InstantProtocol<Duration>>: Sendable where Instant: Sendable {
    // A ring buffer of allowed instants, oldest at `head`.
    private var slots: [Instant] = []
    private var head = 0
    private(set) var count = 0
    // The window of the latest decision, so an idle sweep knows when this key's entries expire.
    private var lastWindow: Duration = .zero

    /// Decides one request at `now`: allowed when fewer than `limit` requests were allowed in the
    /// `window` before `now`, in which case it is recorded.
    mutating func acquire(at now: Instant, limit: Int, window: Duration) -> RateLimitDecision {
        let limit = max(limit, 1)
        lastWindow = window
        evict(before: now.advanced(by: .zero - window), keepingAtMost: limit)
        if count < limit {
            append(now, capacity: limit)
            return RateLimitDecision(allowed: true, limit: limit, remaining: limit - count, retryAfter: nil)
        }
        // The oldest entry leaves the window at oldest + window; a slot frees then.
        let oldest = slots[head]
        let wait = now.duration(to: oldest.advanced(by: window))
        return RateLimitDecision(allowed: false, limit: limit, remaining: 0, retryAfter: max(wait, .zero))
    }

    /// Whether every recorded request has left the window at `now`, so the key can be dropped.
    func isIdle(at now: Instant) -> Bool {
        guard count > 0 else { return true }
        let newest = slots[(head + count - 1) % slots.count]
        return newest.advanced(by: lastWindow) <= now
    }

    /// Drops entries at or before `cutoff`; an entry exactly `window` old has left the window.
    private mutating func evict(before cutoff: Instant, keepingAtMost limit: Int) {
        while count > 0 && (slots[head] <= cutoff || count > limit) {
            head = (head + 1) % slots.count
            count -= 1
        }
    }

    private mutating func append(_ instant: Instant, capacity: Int) {
        if count == slots.count {
            // Full ring: grow geometrically up to the limit, oldest first, so appends stay amortised O(1).
            let grown = min(capacity, max(4, slots.count * 2))
            var linear: [Instant] = []
            linear.reserveCapacity(grown)
            for offset in 0..<count { linear.append(slots[(head + offset) % slots.count]) }
            linear.append(instant)
            // Pad with copies so the ring has its new size; only the first `count` slots are live.
            while linear.count < grown { linear.append(instant) }
            slots = linear
            head = 0
            count += 1
            return
        }
        slots[(head + count) % slots.count] = instant
        count += 1
    }
}
