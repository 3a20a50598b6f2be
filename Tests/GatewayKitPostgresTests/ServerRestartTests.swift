import GatewayKit
import GatewayKitPostgres
import Testing

/// PostgreSQL restarted under two running gateways, on a cluster of the test's own.
@Suite struct ServerRestartTests {
    @Test("through a PostgreSQL restart requests keep being served, and a later change reaches every instance")
    func restartMidRun() async throws {
        try await TestCluster.with { cluster in
            try await TestDatabase.with(serverURL: cluster.url) { database in
                try await withGatewayInstance(on: database) { a in
                    try await withGatewayInstance(on: database) { b in
                        try await a.endpoints.create(
                            .init(name: "Steady", slug: "steady", model: "mock/echo"), by: .admin)
                        try await eventually("setup reaches B") { await b.answer("steady").text == "ping" }
                        let traffic = TrafficGenerator(
                            gateways: [a, b], routes: [.init(slug: "steady") { sent, answer in sent == answer }],
                            clients: 6)
                        try await Task.sleep(for: .milliseconds(300))

                        try cluster.restart()

                        // The first write after the restart may meet a pooled connection that died
                        // with the server; an admin would retry, and so does this test.
                        try await eventually(within: .seconds(15), "a write succeeds after the restart") {
                            do {
                                try await a.endpoints.create(
                                    .init(name: "After", slug: "after-restart", model: "mock/fixed:after"), by: .admin)
                                return true
                            } catch {
                                return false
                            }
                        }
                        try await eventually(within: .seconds(10), "the change made after the restart reaches B") {
                            await b.answer("after-restart").text == "after"
                        }
                        try await b.endpoints.update("after-restart", by: .admin) { $0.model = "mock/fixed:again" }
                        try await eventually("a change on B reaches A after the restart") {
                            await a.answer("after-restart").text == "again"
                        }
                        let (succeeded, failures) = await traffic.stop()
                        #expect(failures.isEmpty, "\(failures.count) failed requests, first: \(failures.prefix(5))")
                        #expect(succeeded > 100)
                    }
                }
            }
        }
    }
}
