@testable import GatewayKit
import GatewayKitTesting
import Testing

@Suite struct SlidingWindowTests {
    @Test("agrees with a naive log over 20,000 decisions as the ring grows, wraps and expires")
    func matchesNaiveModel() {
        var window = SlidingWindow<ManualClock.Instant>()
        var allowed: [ManualClock.Instant] = []
        var generator = SystemRandomNumberGenerator()
        var now = ManualClock.Instant(offset: .zero)
        let span = Duration.seconds(60)
        for step in 0..<20_000 {
            // Bursts and pauses, so the window fills, drains and refills; the limit changes too.
            now = now.advanced(by: .milliseconds(Int.random(in: 0...(step % 500 < 400 ? 20 : 2_000), using: &generator)))
            let limit = step < 10_000 ? 300 : 120
            let decision = window.acquire(at: now, limit: limit, window: span)
            let live = allowed.filter { $0 > now.advanced(by: .zero - span) }
            let expected = live.count < limit
            #expect(decision.allowed == expected, "step \(step)")
            allowed = live
            if decision.allowed { allowed.append(now) }
            if !expected, let oldest = live.suffix(limit).first {
                #expect(decision.retryAfter == now.duration(to: oldest.advanced(by: span)))
            }
            if decision.allowed != expected { return }
        }
    }
}
