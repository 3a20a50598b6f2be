import GatewayKit
import GatewayKitSQLite
import GatewayKitTesting
import Testing

@Suite struct SQLiteGatewayStoreUsageTests {
    @Test("a store on a file passes the usage conformance suite", arguments: UsageStoreConformanceSuite.Check.all)
    func conformance(_ check: UsageStoreConformanceSuite.Check) async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.databasePath
            try await UsageStoreConformanceSuite(makeStore: { try SQLiteGatewayStore(path: path) }).run(check)
        }
    }

    @Test("the in-memory store passes the usage conformance suite")
    func inMemoryConformance() async throws {
        try await UsageStoreConformanceSuite(makeStore: { try SQLiteGatewayStore.inMemory() }).run()
    }

    @Test("usage a gateway writes to its file is there after reopening, for Admins and Auditors only")
    func gatewayWritesAndReopens() async throws {
        try await TemporaryDirectory.with { directory in
            do {
                let store = try SQLiteGatewayStore(path: directory.databasePath)
                let gateway = try await Gateway(
                    store: store, masterKey: "sqlite-usage-master-key-0123456789abcdef",
                    configuration: .init(usage: .init(sink: store))
                )
                try await gateway.endpoints.create(.init(name: "echo", model: "mock/echo"), by: .admin)
                for text in ["one", "two words", "three more words"] {
                    _ = try await gateway.router.complete(
                        slug: "echo", request: ChatRequest(messages: [.user(text)]), as: .admin)
                }
                await gateway.usage.flush()
                try store.close()
            }
            let reopened = try SQLiteGatewayStore(path: directory.databasePath)
            let gateway = try await Gateway(
                store: reopened, masterKey: "sqlite-usage-master-key-0123456789abcdef",
                configuration: .init(usage: .init(sink: reopened))
            )
            let summary = try await gateway.usage.summary(UsageQuery(endpoint: "echo"), by: Caller(role: .auditor))
            #expect(summary.count == 1)
            #expect(summary.first?.requests == 3 && summary.first?.errors == 0)
            #expect(summary.first?.unpricedRequests == 3)
            let byModel = try await gateway.usage.summary(UsageQuery(groupBy: .model), by: .admin)
            #expect(byModel.map(\.key) == ["mock/echo"])
            await #expect(throws: GatewayError.self) {
                _ = try await gateway.usage.summary(UsageQuery(), by: Caller(role: .editor))
            }
        }
    }
}
