import Foundation
import NIOHTTP1
import Testing

@Suite struct GatewayServerUsageTests {
    @Test("records every chat in its store and reports it on /api/usage")
    func reportsUsage() async throws {
        let server = try ServerProcess(
            arguments: ["--store", "memory", "--port", "0", "--usage-retention-days", "7"],
            environment: ["GATEWAY_ADMIN_TOKEN": serverAdminToken]
        )
        let port = try await server.waitForPort()
        for _ in 0..<2 {
            let reply = try await call(
                .POST, port: port, "/v1/chat/completions",
                json: #"{"model":"demo","messages":[{"role":"user","content":"count me"}]}"#
            )
            #expect(reply.status == 200)
        }
        let usage = try await call(.GET, port: port, "/api/usage?endpoint=demo")
        #expect(usage.status == 200, "\(usage.body)")
        #expect(usage.body.contains(#""slug":"demo""#), "\(usage.body)")
        #expect(usage.body.contains(#""requests":2"#), "\(usage.body)")
        server.signal(SIGINT)
        #expect(await server.waitForExit() == 0)
    }

    @Test("refuses a usage retention under one day")
    func rejectsZeroRetention() async throws {
        let server = try ServerProcess(
            arguments: ["--store", "memory", "--port", "0"],
            environment: ["GATEWAY_USAGE_RETENTION_DAYS": "0"]
        )
        let status = await server.waitForExit()
        #expect(status != nil && status != 0)
        #expect(server.stderr.contains("usage retention must be at least one day"))
    }
}
