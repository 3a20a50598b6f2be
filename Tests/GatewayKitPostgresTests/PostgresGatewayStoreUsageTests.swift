import GatewayKit
import GatewayKitPostgres
import GatewayKitTesting
import PostgresNIO
import Testing

@Suite struct PostgresGatewayStoreUsageTests {
    @Test("the store passes the usage conformance suite", arguments: UsageStoreConformanceSuite.Check.all)
    func conformance(_ check: UsageStoreConformanceSuite.Check) async throws {
        try await TestDatabase.with { database in
            let store = try database.makeStore()
            try await store.withRunning {
                try await UsageStoreConformanceSuite(makeStore: { store }).run(check)
            }
        }
    }

    @Test("a gateway's usage reaches the database through run() and is summarized from it")
    func gatewayWritesThroughRun() async throws {
        try await TestDatabase.with { database in
            let store = try database.makeStore()
            try await store.withRunning {
                let gateway = try await Gateway(
                    store: store, masterKey: "postgres-usage-master-key-0123456789abcdef",
                    configuration: .init(usage: .init(sink: store, flushInterval: .milliseconds(50)))
                )
                try await gateway.endpoints.create(.init(name: "echo", model: "mock/echo"), by: .admin)
                let running = Task { try await gateway.run() }
                _ = try await gateway.router.complete(
                    slug: "echo", request: ChatRequest(messages: [.user("hi")]), as: .admin)
                var stored = 0
                for _ in 0..<100 where stored == 0 {
                    try await Task.sleep(for: .milliseconds(50))
                    stored = try await database.integer("SELECT count(*)::int FROM gatewaykit_usage_records") ?? 0
                }
                #expect(stored == 1)
                running.cancel()
                _ = try? await running.value
                let summary = try await gateway.usage.summary(UsageQuery(), by: Caller(role: .auditor))
                #expect(summary.map(\.key) == ["echo"])
                #expect(summary.first?.requests == 1)
            }
        }
    }
}
