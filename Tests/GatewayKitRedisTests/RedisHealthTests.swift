import GatewayKitTesting
import Testing

@testable import GatewayKitRedis

@Suite struct RedisHealthTests {
    typealias Health = RedisHealth<ManualClock.Instant>
    let clock = ManualClock()

    @Test("healthy, every request goes to Redis; a failure degrades once")
    func degradesOnFailure() {
        var health = Health(probeInterval: .seconds(2))
        let first = health.route(at: clock.now)
        let second = health.route(at: clock.now)
        #expect(first.route == .redis && second.route == .redis)
        #expect(health.failed(first, at: clock.now) == .degraded)
        #expect(health.isDegraded)
        // The other in-flight request failing too is the same outage, not a second transition.
        #expect(health.failed(second, at: clock.now) == nil)
    }

    @Test("degraded, requests stay local and one request per probe interval tries Redis")
    func probesAtMostEveryInterval() {
        var health = Health(probeInterval: .seconds(2))
        _ = health.failed(health.route(at: clock.now), at: clock.now)
        #expect(health.route(at: clock.now).route == .local)
        clock.advance(by: .seconds(2) - .nanoseconds(1))
        #expect(health.route(at: clock.now).route == .local)
        clock.advance(by: .nanoseconds(1))
        let probe = health.route(at: clock.now)
        #expect(probe.route == .probe)
        #expect(health.route(at: clock.now).route == .local, "only one request probes")
        // A failed probe keeps the state and waits another interval.
        #expect(health.failed(probe, at: clock.now) == nil)
        #expect(health.isDegraded)
        clock.advance(by: .seconds(2))
        #expect(health.route(at: clock.now).route == .probe)
    }

    @Test("a successful probe recovers; a late answer from before the outage does not")
    func recoversOnlyThroughProbe() {
        var health = Health(probeInterval: .seconds(1))
        let stale = health.route(at: clock.now)
        let failing = health.route(at: clock.now)
        _ = health.failed(failing, at: clock.now)
        #expect(health.succeeded(stale) == nil)
        #expect(health.isDegraded)
        clock.advance(by: .seconds(1))
        let probe = health.route(at: clock.now)
        #expect(health.succeeded(probe) == .recovered)
        #expect(!health.isDegraded)
        #expect(health.route(at: clock.now).route == .redis)
        // A failure reported for a ticket from the degraded epoch does not degrade again.
        #expect(health.failed(failing, at: clock.now) == nil)
        #expect(!health.isDegraded)
    }
}
