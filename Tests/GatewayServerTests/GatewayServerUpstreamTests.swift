import Foundation
import GatewayKitTesting
import NIOHTTP1
import Testing

/// gateway-server calling a real OpenAI-format server on 127.0.0.1 with each of its upstream
/// clients: the default NIO transport and AsyncHTTPClient.
@Suite(.serialized) struct GatewayServerUpstreamTests {
    @Test(
        "answers and streams through an HTTP provider with either upstream client, chat routes on the connection or the router",
        arguments: [nil, "nio", "asynchttpclient"], [nil, "router"]
    )
    func proxies(client: String?, chatRoutes: String?) async throws {
        let upstream = try await LocalUpstream.start()
        let directory = try makeScratchDirectory("gateway-upstream")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("gateway.yaml")
        try """
        keys:
          - name: local
            provider: openai
            secret: sk-upstream-test-0123456789
            base_url: \(upstream.baseURL)
        endpoints:
          - name: Local
            slug: local
            model: openai/gpt-4o-mini
            api_key: local
        """.write(to: config, atomically: true, encoding: .utf8)
        var environment = ["GATEWAY_ADMIN_TOKEN": serverAdminToken]
        if let client { environment["GATEWAY_UPSTREAM_CLIENT"] = client }
        if let chatRoutes { environment["GATEWAY_CHAT_ROUTES"] = chatRoutes }
        let server = try ServerProcess(
            arguments: ["--store", "memory", "--port", "0", "--config", config.path], environment: environment
        )
        let port = try await server.waitForPort()

        upstream.setBehaviour(.reply(text: "from the provider"))
        for _ in 0..<3 {
            let reply = try await call(
                .POST, port: port, "/v1/chat/completions",
                json: #"{"model":"local","messages":[{"role":"user","content":"hi"}]}"#
            )
            #expect(reply.status == 200)
            #expect(reply.body.contains("from the provider"))
        }
        upstream.setBehaviour(.stream(chunks: ["streamed ", "answer"]))
        let streamed = try await call(
            .POST, port: port, "/v1/chat/completions",
            json: #"{"model":"local","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        )
        #expect(streamed.status == 200)
        #expect(streamed.body.contains(#""content":"streamed ""#))
        #expect(streamed.body.hasSuffix("data: [DONE]\n\n"))

        let requests = upstream.requests
        #expect(requests.count == 4)
        #expect(requests.allSatisfy { $0.header("authorization") == "Bearer sk-upstream-test-0123456789" })
        server.signal(SIGTERM)
        #expect(await server.waitForExit() == 0)
        #expect(!server.stdout.contains("sk-upstream-test") && !server.stderr.contains("sk-upstream-test"))
        // Each chat request has its access line, on either path.
        #expect(server.stdout.components(separatedBy: "http.path=/v1/chat/completions http.status=200").count - 1 == 4)
        try await upstream.shutdown()
    }

    @Test("refuses an unknown GATEWAY_UPSTREAM_CLIENT or GATEWAY_CHAT_ROUTES by name")
    func unknownClient() async throws {
        let refusals = [
            ("GATEWAY_UPSTREAM_CLIENT", "curl", "GATEWAY_UPSTREAM_CLIENT must be nio or asynchttpclient, not 'curl'"),
            ("GATEWAY_CHAT_ROUTES", "nginx", "GATEWAY_CHAT_ROUTES must be connection or router, not 'nginx'"),
        ]
        for (variable, value, message) in refusals {
            let server = try ServerProcess(
                arguments: ["--store", "memory", "--port", "0"],
                environment: ["GATEWAY_ADMIN_TOKEN": serverAdminToken, variable: value]
            )
            #expect(await server.waitForExit() != 0)
            #expect(server.stderr.contains(message))
        }
    }
}
