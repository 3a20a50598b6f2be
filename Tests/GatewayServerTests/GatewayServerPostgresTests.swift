import Foundation
import NIOHTTP1
import Testing

/// Two `gateway-server`s on one PostgreSQL database share one configuration: a change made
/// through either reaches the other without a restart.
@Suite struct GatewayServerPostgresTests {
    @Test("two servers on one database: an endpoint created on one is served by the other, a deletion 404s on both")
    func sharedConfiguration() async throws {
        let serverURL = try #require(
            ProcessInfo.processInfo.environment["POSTGRES_URL"],
            "POSTGRES_URL is not set: start a cluster with `eval \"$(scripts/start-postgres.sh)\"` (scripts/test.sh does)"
        )
        let database = try ScratchDatabase(serverURL: serverURL)
        defer { database.drop() }
        let environment = ["GATEWAY_ADMIN_TOKEN": serverAdminToken, "GATEWAY_MASTER_KEY": serverMasterKey]
        let arguments = ["--store", database.url, "--port", "0"]
        let first = try ServerProcess(arguments: arguments, environment: environment)
        let second = try ServerProcess(arguments: arguments, environment: environment)
        let ports = [try await first.waitForPort(), try await second.waitForPort()]

        let password = try #require(URLComponents(string: database.url)?.password)
        #expect(first.stdout.contains("(store: postgres://postgres:***@"), "\(first.stdout)")
        #expect(!first.stdout.contains(password) && !first.stderr.contains(password))

        let created = try await call(
            .POST, port: ports[0], "/api/endpoints", json: #"{"name":"Shared echo","model":"mock/echo"}"#
        )
        #expect(created.status == 201, "\(created.body)")
        let chat = #"{"model":"shared-echo","messages":[{"role":"user","content":"across instances"}]}"#
        let servedBySecond = try await eventually(within: .seconds(5)) {
            try await call(.POST, port: ports[1], "/v1/chat/completions", json: chat).status == 200
        }
        #expect(servedBySecond, "the endpoint created on the first server never became callable on the second")

        let deleted = try await call(.DELETE, port: ports[1], "/api/endpoints/shared-echo")
        #expect(deleted.status == 204, "\(deleted.body)")
        let goneOnFirst = try await eventually(within: .seconds(5)) {
            try await call(.POST, port: ports[0], "/v1/chat/completions", json: chat).status == 404
        }
        #expect(goneOnFirst, "the endpoint deleted on the second server was still served by the first")

        for server in [first, second] {
            server.signal(SIGTERM)
            #expect(await server.waitForExit() == 0, "\(server.stderr)")
        }
    }

    @Test("an unreachable database is a clear start-up error, and the password is not in it")
    func unreachableDatabase() async throws {
        let url = "postgres://gateway:not-the-password-4711@127.0.0.1:1/gateway"
        let server = try ServerProcess(
            arguments: ["--store", url, "--port", "0"], environment: ["GATEWAY_MASTER_KEY": serverMasterKey]
        )
        let status = await server.waitForExit(timeout: .seconds(60))
        #expect(status != nil && status != 0)
        let output = server.stdout + server.stderr
        #expect(output.localizedCaseInsensitiveContains("postgres") || output.contains("database"), "\(output)")
        #expect(!output.contains("not-the-password-4711"), "\(output)")
    }
}

/// Polls `condition` until it holds or `limit` passes.
func eventually(within limit: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return false
}

/// A database of its own on the test cluster, created and dropped with `psql`.
struct ScratchDatabase {
    let url: String
    private let serverURL: String
    private let name: String

    init(serverURL: String) throws {
        name = "gk_server_" + UUID().uuidString.prefix(8).lowercased()
        self.serverURL = serverURL
        var components = try #require(URLComponents(string: serverURL))
        components.path = "/" + name
        url = try #require(components.string)
        try Self.psql(serverURL, "CREATE DATABASE \(name)")
    }

    func drop() {
        try? Self.psql(serverURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private static func psql(_ url: String, _ statement: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", statement]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "psql failed: \(statement)")
    }
}
