import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

let serverMasterKey = "server-test-master-key-0123456789abcdef"
let serverAdminToken = "server-test-admin-token-0123456789"

/// Sends a request to the server under test.
func call(
    _ method: HTTPMethod, port: Int, _ path: String, json: String? = nil, token: String? = serverAdminToken
) async throws -> (status: Int, body: String) {
    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
    request.method = method
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    if let json {
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
    }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let body = try await response.body.collect(upTo: 1 << 20)
    return (Int(response.status.code), String(buffer: body))
}

@Suite(.serialized) struct GatewayServerTests {
    @Test("starts on a fresh memory store with the demo endpoint a newcomer can call at once")
    func demoEndpoint() async throws {
        let server = try ServerProcess(
            arguments: ["--store", "memory", "--port", "0"], environment: ["GATEWAY_ADMIN_TOKEN": serverAdminToken]
        )
        let port = try await server.waitForPort()
        let reply = try await call(
            .POST, port: port, "/v1/chat/completions",
            json: #"{"model":"demo","messages":[{"role":"user","content":"Hello, gateway"}]}"#
        )
        #expect(reply.status == 200)
        #expect(reply.body.contains("Hello, gateway"))
        let again = try await call(
            .POST, port: port, "/v1/chat/completions",
            json: #"{"model":"demo","messages":[{"role":"user","content":"Once more"}]}"#
        )
        #expect(again.status == 200)
        let metrics = try await call(.GET, port: port, "/metrics", token: nil)
        #expect(metrics.status == 200)
        // Both requests counted on the one cached handle per endpoint and status.
        #expect(metrics.body.contains(#"gatewaykit_http_requests_total{endpoint="demo",status="200"} 2"#), "\(metrics.body)")
        #expect(metrics.body.contains(#"gatewaykit_requests_total{endpoint="demo",outcome="ok"} 2"#), "\(metrics.body)")
        #expect(metrics.body.contains("gatewaykit_http_request_duration_seconds_bucket"))
        // The gateway's own time, upstream excluded, per endpoint: what operators watch for overhead.
        #expect(metrics.body.contains(#"gatewaykit_overhead_seconds_bucket{endpoint="demo""#), "\(metrics.body)")
        server.signal(SIGINT)
        #expect(await server.waitForExit() == 0)
    }

    @Test(
        "on SIGTERM finishes the request in flight, then exits 0, with the chat routes on the connection or the router",
        arguments: [nil, "router"]
    )
    func gracefulShutdown(chatRoutes: String?) async throws {
        var environment = ["GATEWAY_ADMIN_TOKEN": serverAdminToken]
        if let chatRoutes { environment["GATEWAY_CHAT_ROUTES"] = chatRoutes }
        let server = try ServerProcess(arguments: ["--store", "memory", "--port", "0"], environment: environment)
        let port = try await server.waitForPort()
        let created = try await call(
            .POST, port: port, "/api/endpoints", json: #"{"name":"Slow","model":"mock/delay:1500"}"#)
        #expect(created.status == 201)
        let started = ContinuousClock.now
        async let inFlight = call(
            .POST, port: port, "/v1/chat/completions",
            json: #"{"model":"slow","messages":[{"role":"user","content":"still here"}]}"#
        )
        try await Task.sleep(for: .milliseconds(400))
        server.signal(SIGTERM)
        let reply = try await inFlight
        #expect(reply.status == 200)
        #expect(reply.body.contains("still here"))
        #expect(started.duration(to: .now) >= .milliseconds(1400))
        #expect(await server.waitForExit() == 0)
        #expect(server.stdout.contains("gateway-server stopped"))
    }

    @Test("logs one access line per request at info, none at --log-level warning, and refuses an unknown level")
    func logLevel() async throws {
        let chat = #"{"model":"demo","messages":[{"role":"user","content":"log me"}]}"#
        for (level, logged) in [(nil, true), ("warning", false)] as [(String?, Bool)] {
            let arguments = ["--store", "memory", "--port", "0"] + (level.map { ["--log-level", $0] } ?? [])
            let server = try ServerProcess(arguments: arguments, environment: ["GATEWAY_ADMIN_TOKEN": serverAdminToken])
            let port = try await server.waitForPort()
            #expect(try await call(.POST, port: port, "/v1/chat/completions", json: chat).status == 200)
            server.signal(SIGINT)
            #expect(await server.waitForExit() == 0)
            let output = server.stdout + server.stderr
            #expect(output.contains("http.path=/v1/chat/completions") == logged, "level \(level ?? "default")")
        }
        let refused = try ServerProcess(
            arguments: ["--store", "memory", "--port", "0"],
            environment: ["GATEWAY_ADMIN_TOKEN": serverAdminToken, "GATEWAY_LOG_LEVEL": "loud"]
        )
        #expect(await refused.waitForExit() != 0)
        #expect(refused.stderr.contains("the log level must be one of trace, debug, info"))
        #expect(refused.stderr.contains("'loud'"))
    }

    @Test("refuses to start on a SQLite store without a master key, saying how to make one")
    func requiresMasterKey() async throws {
        let server = try ServerProcess(arguments: ["--store", "sqlite:gw.sqlite", "--port", "0"], environment: [:])
        let status = await server.waitForExit()
        #expect(status != nil && status != 0)
        #expect(server.stderr.contains("GATEWAY_MASTER_KEY is not set"))
        #expect(server.stderr.contains("openssl rand -base64 32"))
    }

    @Test("refuses a master key shorter than 32 characters")
    func rejectsShortMasterKey() async throws {
        let server = try ServerProcess(
            arguments: ["--port", "0"], environment: ["GATEWAY_MASTER_KEY": "too-short", "GATEWAY_STORE": "memory"]
        )
        let status = await server.waitForExit()
        #expect(status != nil && status != 0)
        #expect(server.stderr.contains("at least 32"))
        #expect(!server.stderr.contains("too-short"))
    }

    @Test("applies a YAML config with ${ENV} secrets: keys by name, endpoints, tokens")
    func appliesConfig() async throws {
        let directory = try makeScratchDirectory("gateway-config")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("gateway.yaml")
        try """
        keys:
          - name: Mock account
            provider: mock
            secret: ${TEST_MOCK_SECRET}
            base_url: http://127.0.0.1:9/v1
        endpoints:
          - name: Echo
            slug: echo
            model: mock/echo
            rate_limit_rpm: 100
            fallbacks: [backup]
          - name: Backup
            slug: backup
            model: mock/fixed:from backup
          - name: Keyed
            model: mock/echo
            api_key: Mock account
        tokens:
          - name: ci
            role: editor
            token: ${TEST_CI_TOKEN}
        """.write(to: config, atomically: true, encoding: .utf8)
        let ciToken = "ci-token-from-environment-0123"
        let server = try ServerProcess(
            arguments: ["--store", "memory", "--port", "0", "--config", config.path],
            environment: [
                "GATEWAY_ADMIN_TOKEN": serverAdminToken, "TEST_MOCK_SECRET": "mock-secret-123456",
                "TEST_CI_TOKEN": ciToken,
            ]
        )
        let port = try await server.waitForPort()
        let endpoints = try await call(.GET, port: port, "/api/endpoints", token: ciToken)
        #expect(endpoints.status == 200)
        #expect(endpoints.body.contains(#""slug":"echo""#))
        #expect(endpoints.body.contains(#""slug":"keyed""#))
        #expect(endpoints.body.contains(#""key_name":"Mock account""#))
        #expect(endpoints.body.contains(#""fallbacks":["backup"]"#))
        #expect(!endpoints.body.contains(#""slug":"demo""#))
        let keys = try await call(.GET, port: port, "/api/keys")
        #expect(keys.body.contains("Mock account"))
        #expect(!keys.body.contains("mock-secret-123456"))
        server.signal(SIGTERM)
        #expect(await server.waitForExit() == 0)
    }

    @Test("restarting with the same config on a SQLite store updates, never duplicates")
    func configIsIdempotentOnRestart() async throws {
        let directory = try makeScratchDirectory("gateway-restart")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("gateway.yaml")
        try """
        keys:
          - name: Mock account
            provider: mock
            secret: mock-secret-123456
        endpoints:
          - name: Echo
            slug: echo
            model: mock/echo
            api_key: Mock account
        """.write(to: config, atomically: true, encoding: .utf8)
        let store = "sqlite:" + directory.appendingPathComponent("gateway.sqlite").path
        let environment = [
            "GATEWAY_ADMIN_TOKEN": serverAdminToken, "GATEWAY_MASTER_KEY": "restart-test-master-key-0123456789abcdef",
        ]
        for run in 1...2 {
            let server = try ServerProcess(
                arguments: ["--store", store, "--port", "0", "--config", config.path], environment: environment)
            let port = try await server.waitForPort()
            let keys = try await call(.GET, port: port, "/api/keys")
            #expect(keys.body.components(separatedBy: "Mock account").count == 2, "run \(run): \(keys.body)")
            let endpoints = try await call(.GET, port: port, "/api/endpoints")
            #expect(endpoints.body.contains(#""slug":"echo""#))
            #expect(!endpoints.body.contains(#""slug":"echo-2""#))
            let chat = try await call(
                .POST, port: port, "/v1/chat/completions",
                json: #"{"model":"echo","messages":[{"role":"user","content":"again"}]}"#)
            #expect(chat.status == 200, "run \(run): \(chat.body)")
            server.signal(SIGTERM)
            #expect(await server.waitForExit() == 0)
        }
    }

    @Test("a config naming an unset environment variable stops the start with the variable's name")
    func configMissingVariable() async throws {
        let directory = try makeScratchDirectory("gateway-config")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("gateway.yaml")
        try "keys:\n  - name: K\n    provider: openai\n    secret: ${DEFINITELY_UNSET_SECRET}\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let server = try ServerProcess(
            arguments: ["--store", "memory", "--port", "0", "--config", config.path], environment: [:])
        let status = await server.waitForExit()
        #expect(status != nil && status != 0)
        #expect(server.stderr.contains("DEFINITELY_UNSET_SECRET"))
        #expect(server.stderr.contains("keys[0].secret"))
    }
}
