import Foundation
import NIOHTTP1
import Testing

/// The rotation procedure the README gives: start with the new key and the old one as a previous
/// key, re-seal, then restart with the new key alone.
@Suite struct MasterKeyRotationServerTests {
    @Test("GATEWAY_PREVIOUS_MASTER_KEYS opens old secrets; after /api/keys/reseal the new key alone suffices")
    func rotation() async throws {
        let directory = try makeScratchDirectory("gateway-rotate")
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["--store", "sqlite:" + directory.appendingPathComponent("gateway.sqlite").path, "--port", "0"]
        let newKey = "server-test-NEW-master-key-fedcba9876543210"

        try await withServer(arguments, ["GATEWAY_MASTER_KEY": serverMasterKey]) { port in
            let created = try await call(
                .POST, port: port, "/api/keys", json: #"{"name":"Upstream","provider":"openai","secret":"sk-rotate-me-123456"}"#
            )
            #expect(created.status == 201, "\(created.body)")
        }
        // The new key alone cannot open the secret yet: start-up names the key and fails.
        let early = try ServerProcess(arguments: arguments, environment: ["GATEWAY_MASTER_KEY": newKey])
        #expect(await early.waitForExit(timeout: .seconds(60)).map { $0 != 0 } == true)
        #expect(early.stderr.contains("Upstream"), "\(early.stderr)")

        let rotating = ["GATEWAY_MASTER_KEY": newKey, "GATEWAY_PREVIOUS_MASTER_KEYS": serverMasterKey]
        try await withServer(arguments, rotating) { port in
            let resealed = try await call(.POST, port: port, "/api/keys/reseal")
            #expect(resealed.status == 200, "\(resealed.body)")
            #expect(resealed.body.contains(#""resealed":1"#) && resealed.body.contains(#""remaining":[]"#), "\(resealed.body)")
        }
        try await withServer(arguments, ["GATEWAY_MASTER_KEY": newKey]) { port in
            let keys = try await call(.GET, port: port, "/api/keys")
            #expect(keys.status == 200 && keys.body.contains("Upstream"), "\(keys.body)")
            #expect(!keys.body.contains("sk-rotate-me-123456"))
        }
    }

    @Test("a previous master key shorter than 32 characters is refused at start, by position")
    func shortPreviousKey() async throws {
        let server = try ServerProcess(
            arguments: ["--store", "memory", "--port", "0"],
            environment: ["GATEWAY_MASTER_KEY": serverMasterKey, "GATEWAY_PREVIOUS_MASTER_KEYS": "\(serverMasterKey),short"]
        )
        #expect(await server.waitForExit(timeout: .seconds(60)).map { $0 != 0 } == true)
        #expect(server.stderr.contains("GATEWAY_PREVIOUS_MASTER_KEYS: key 2"), "\(server.stderr)")
    }

    private func withServer(
        _ arguments: [String], _ environment: [String: String], _ body: (Int) async throws -> Void
    ) async throws {
        var environment = environment
        environment["GATEWAY_ADMIN_TOKEN"] = serverAdminToken
        let server = try ServerProcess(arguments: arguments, environment: environment)
        let port = try await server.waitForPort()
        try await body(port)
        server.signal(SIGTERM)
        #expect(await server.waitForExit() == 0, "\(server.stderr)")
    }
}
