import Foundation
import GatewayKit
import GatewayKitHTTP
import HTTPTypes
import HummingbirdTesting
import Testing

/// `GET /api/usage`: aggregates by endpoint or model over a time range, for Admins and Auditors.
@Suite struct GatewayRoutesUsageTests {
    static let day = Date(timeIntervalSince1970: 1_795_219_200)  // 2026-11-21T00:00:00Z

    /// Ten requests to `alpha` at 10…100 ms on 2026-11-21 (one failed), one to `beta`, and one
    /// to `alpha` the day before.
    static func seededStore() async throws -> InMemoryUsageStore {
        let store = InMemoryUsageStore()
        let gpt = ModelRef(provider: .openai, name: "gpt-4o")
        var records = (1...10).map { index in
            UsageRecord(
                time: day.addingTimeInterval(Double(index) * 60), endpoint: "alpha", model: gpt, role: .editor,
                promptTokens: 100, completionTokens: 10, costUSD: Decimal(string: "0.00035") ?? 0,
                latency: .milliseconds(index * 10), status: index == 4 ? .init(.upstreamTimeout) : .ok
            )
        }
        records.append(
            UsageRecord(
                time: day.addingTimeInterval(120), endpoint: "beta", model: ModelRef(provider: .mock, name: "echo"),
                role: .editor, promptTokens: 5, completionTokens: 5, unpriced: true, latency: .milliseconds(7)
            )
        )
        records.append(
            UsageRecord(time: day.addingTimeInterval(-3_600), endpoint: "alpha", role: .editor, latency: .seconds(9)))
        try await store.record(records)
        return store
    }

    @Test("aggregates by endpoint within a range, with nearest-rank p50, p95 and p99")
    func byEndpoint() async throws {
        let gateway = try await makeTestGateway(usage: try await Self.seededStore())
        try await withLiveServer(gateway) { client in
            let response = try await client.call(
                .get, "/api/usage?from=2026-11-21T00:00:00Z&to=2026-11-22", as: .auditor)
            #expect(response.status == .ok, "\(response.text)")
            let rows = try #require(try response.object()["endpoints"] as? [[String: Any]])
            #expect(rows.compactMap { $0["slug"] as? String } == ["alpha", "beta"])
            let alpha = rows[0]
            #expect(alpha["requests"] as? Int == 10)
            #expect(alpha["errors"] as? Int == 1)
            #expect(alpha["prompt_tokens"] as? Int == 1_000)
            #expect(alpha["completion_tokens"] as? Int == 100)
            #expect(alpha["cost_usd"] as? Double == 0.0035)
            #expect(alpha["p50_ms"] as? Double == 50)
            #expect(alpha["p95_ms"] as? Double == 100)
            #expect(alpha["p99_ms"] as? Double == 100)
            #expect(rows[1]["unpriced_requests"] as? Int == 1)

            let one = try await client.call(.get, "/api/usage?endpoint=alpha", as: .admin)
            let all = try #require(try one.object()["endpoints"] as? [[String: Any]])
            #expect(all.count == 1)
            #expect(all.first?["requests"] as? Int == 11, "without a range the day before counts too")
        }
    }

    @Test("group=model answers one row per model")
    func byModel() async throws {
        let gateway = try await makeTestGateway(usage: try await Self.seededStore())
        try await withLiveServer(gateway) { client in
            let response = try await client.call(.get, "/api/usage?group=model&from=2026-11-21", as: .admin)
            #expect(response.status == .ok, "\(response.text)")
            let rows = try #require(try response.object()["models"] as? [[String: Any]])
            #expect(rows.compactMap { $0["model"] as? String } == ["mock/echo", "openai/gpt-4o"])
            #expect(rows.last?["requests"] as? Int == 10)
        }
    }

    @Test("a bad date, a reversed range or an unknown grouping is 400 naming the parameter")
    func badParameters() async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway) { client in
            for (query, field) in [
                ("from=yesterday", "from"), ("to=2026-13-45", "to"), ("from=2026-11-22&to=2026-11-21", "to"),
                ("group=provider", "group"),
            ] {
                let response = try await client.call(.get, "/api/usage?\(query)", as: .admin)
                #expect(response.status == .badRequest, "\(query): \(response.text)")
                #expect((try response.error()["message"] as? String)?.contains(field) == true, "\(query)")
            }
        }
    }

    @Test("a chat request shows up in the usage the route reports")
    func chatIsCounted() async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway) { client in
            let chat = try await client.call(
                .post, "/v1/chat/completions", as: .admin, json: chatBody("demo", "count me"))
            #expect(chat.status == .ok)
            let response = try await client.call(.get, "/api/usage?endpoint=demo", as: .auditor)
            let rows = try #require(try response.object()["endpoints"] as? [[String: Any]])
            #expect(rows.first?["requests"] as? Int == 1)
            #expect(rows.first?["unpriced_requests"] as? Int == 1)
        }
    }

    @Test("without a usage store the route is 404")
    func noStore() async throws {
        let gateway = try await makeTestGateway(usage: nil)
        try await withLiveServer(gateway) { client in
            let response = try await client.call(.get, "/api/usage", as: .admin)
            #expect(response.status == .notFound)
        }
    }
}
