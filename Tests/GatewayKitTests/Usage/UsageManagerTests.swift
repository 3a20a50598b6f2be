import GatewayKit
import GatewayKitTesting
import Synchronization
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writing usage off the request path: batches, retention, shutdown, and a full buffer.
@Suite struct UsageManagerTests {
    static func gateway(_ usage: UsageAccounting) async throws -> Gateway {
        let gateway = try await Gateway(
            store: InMemoryGatewayStore(), masterKey: testMasterKey, configuration: .init(usage: usage)
        )
        try await gateway.endpoints.create(.init(name: "echo", model: "mock/echo"), by: .admin)
        return gateway
    }

    /// Polls `condition` for up to five seconds.
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    @Test("run() writes a full batch at once, without waiting for the flush interval")
    func batchTrigger() async throws {
        let store = InMemoryUsageStore()
        let gateway = try await Self.gateway(.init(sink: store, flushInterval: .seconds(3_600), batchSize: 3))
        let running = Task { try await gateway.run() }
        for index in 0..<2 {
            _ = try await gateway.router.complete(slug: "echo", request: .user("\(index)"), as: .admin)
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(store.records.isEmpty, "two records are less than a batch and the interval is an hour")
        _ = try await gateway.router.complete(slug: "echo", request: .user("2"), as: .admin)
        #expect(try await Self.eventually { store.records.count == 3 })
        running.cancel()
        _ = try? await running.value
    }

    @Test("run() writes buffered records every flush interval")
    func interval() async throws {
        let store = InMemoryUsageStore()
        let gateway = try await Self.gateway(.init(sink: store, flushInterval: .milliseconds(50), batchSize: 100))
        let running = Task { try await gateway.run() }
        _ = try await gateway.router.complete(slug: "echo", request: .user("hi"), as: .admin)
        #expect(try await Self.eventually { store.records.count == 1 })
        running.cancel()
        _ = try? await running.value
    }

    @Test("run() writes what is still buffered when it stops")
    func flushOnShutdown() async throws {
        let store = InMemoryUsageStore()
        let gateway = try await Self.gateway(.init(sink: store, flushInterval: .seconds(3_600), batchSize: 100))
        let running = Task { try await gateway.run() }
        _ = try await gateway.router.complete(slug: "echo", request: .user("hi"), as: .admin)
        try await Task.sleep(for: .milliseconds(100))
        #expect(store.records.isEmpty)
        running.cancel()
        _ = try? await running.value
        #expect(store.records.count == 1)
    }

    @Test("run() deletes records older than the retention and keeps newer ones")
    func retention() async throws {
        let store = InMemoryUsageStore()
        let now = Date()
        let old = UsageRecord(
            time: now.addingTimeInterval(-40 * 86_400), endpoint: "echo", role: .admin, latency: .milliseconds(1))
        let recent = UsageRecord(
            time: now.addingTimeInterval(-1 * 86_400), endpoint: "echo", role: .admin, latency: .milliseconds(1))
        try await store.record([old, recent])
        let gateway = try await Self.gateway(.init(sink: store, retention: .seconds(30 * 86_400)))
        let running = Task { try await gateway.run() }
        #expect(try await Self.eventually { store.records.map(\.id) == [recent.id] })
        running.cancel()
        _ = try? await running.value
    }

    @Test("a full buffer drops records and never makes a request wait for a stuck sink")
    func fullBuffer() async throws {
        let sink = StuckSink()
        let gateway = try await Self.gateway(
            .init(sink: sink, flushInterval: .milliseconds(10), batchSize: 1, maxBufferedRecords: 2))
        let running = Task { try await gateway.run() }
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            for index in 0..<50 {
                _ = try await gateway.router.complete(slug: "echo", request: .user("\(index)"), as: .admin)
            }
        }
        #expect(elapsed < .seconds(5))
        #expect(try await Self.eventually { sink.calls >= 1 }, "the sink was called and is stuck")
        running.cancel()
        _ = try? await running.value
        // One batch was handed to the stuck sink; at most two more waited in the buffer.
        #expect(sink.received <= 3)
    }
}

/// A sink whose writes never finish until cancelled.
final class StuckSink: UsageSink {
    private let state = Mutex((calls: 0, received: 0))
    var calls: Int { state.withLock { $0.calls } }
    var received: Int { state.withLock { $0.received } }

    func record(_ records: [UsageRecord]) async throws {
        state.withLock {
            $0.calls += 1
            $0.received += records.count
        }
        try await Task.sleep(for: .seconds(3_600))
    }
}
