import Foundation
import NIOHTTP1
import Testing

/// After traffic stops, `gateway-server` gives the heap memory it freed back to the system: once
/// per idle spell, never while requests keep coming.
@Suite struct GatewayServerIdleTrimTests {
    static let trimLine = "idle: gave freed heap memory back to the system"

    @Test("trims once when idle, not during traffic, once more after the next burst")
    func trimsWhenIdle() async throws {
        let server = try ServerProcess(
            arguments: ["--store", "memory", "--port", "0", "--log-level", "debug"],
            environment: ["GATEWAY_ADMIN_TOKEN": serverAdminToken, "GATEWAY_IDLE_TRIM_SECONDS": "2"]
        )
        defer { server.signal(SIGKILL) }
        let port = try await server.waitForPort()
        func trims() -> Int { (server.stdout + server.stderr).components(separatedBy: Self.trimLine).count - 1 }

        // Idle after start-up: one trim, and no second while the server stays idle. (Intervals of
        // 2 s, so that only a machine stalled for 2 s could look idle during the traffic below.)
        #expect(try await eventually(within: .seconds(20)) { trims() == 1 })
        try await Task.sleep(for: .seconds(4.5))
        #expect(trims() == 1, "no second trim without traffic in between")

        // Five seconds of traffic from four clients: the server is busy in every interval.
        let chat = #"{"model":"demo","messages":[{"role":"user","content":"keep me busy"}]}"#
        let end = ContinuousClock.now + .seconds(5)
        let answered = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < end {
                        if try await call(.POST, port: port, "/v1/chat/completions", json: chat).status == 200 {
                            count += 1
                        }
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(answered > 20)
        #expect(trims() == 1, "no trim while requests keep coming")

        // The burst is over: one more trim.
        #expect(try await eventually(within: .seconds(20)) { trims() == 2 })
        try await Task.sleep(for: .seconds(4.5))
        #expect(trims() == 2)
    }

    @Test("GATEWAY_IDLE_TRIM_SECONDS=0 never trims; a negative value is refused by name")
    func settings() async throws {
        let never = try ServerProcess(
            arguments: ["--store", "memory", "--port", "0", "--log-level", "debug"],
            environment: ["GATEWAY_ADMIN_TOKEN": serverAdminToken, "GATEWAY_IDLE_TRIM_SECONDS": "0"]
        )
        _ = try await never.waitForPort()
        try await Task.sleep(for: .seconds(3))
        never.signal(SIGINT)
        #expect(await never.waitForExit() == 0)
        #expect(!(never.stdout + never.stderr).contains(Self.trimLine))

        let refused = try ServerProcess(
            arguments: ["--store", "memory", "--port", "0"],
            environment: ["GATEWAY_ADMIN_TOKEN": serverAdminToken, "GATEWAY_IDLE_TRIM_SECONDS": "-1"]
        )
        #expect(await refused.waitForExit() != 0)
        #expect(refused.stderr.contains("GATEWAY_IDLE_TRIM_SECONDS must be 0 (never) or more, not -1"))
    }
}
