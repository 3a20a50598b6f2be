import Foundation
import NIOHTTP1
import Testing

/// `gateway-server` runs Swift's tasks on its NIO event loops (a request's hops then wake no
/// other thread), checked in the running binary by where a task actually ran.
@Suite struct GatewayServerTaskExecutorTests {
    @Test("tasks run on the event loops by default, on Swift's pool with GATEWAY_NIO_EXECUTOR=0")
    func tasksRunOnTheEventLoops() async throws {
        for (setting, expected) in [("1", "Swift tasks run on the event loops"), ("0", "default thread pool")] {
            let server = try ServerProcess(
                arguments: ["--store", "memory", "--port", "0", "--log-level", "debug"],
                environment: ["GATEWAY_ADMIN_TOKEN": serverAdminToken, "GATEWAY_NIO_EXECUTOR": setting]
            )
            let port = try await server.waitForPort()
            let chat = #"{"model":"demo","messages":[{"role":"user","content":"hi"}]}"#
            #expect(try await call(.POST, port: port, "/v1/chat/completions", json: chat).status == 200)
            server.signal(SIGINT)
            #expect(await server.waitForExit() == 0)
            let output = server.stdout + server.stderr
            #expect(output.contains(expected), "GATEWAY_NIO_EXECUTOR=\(setting)")
            #expect(!output.contains("do not run on the event loops"))
        }
    }
}
