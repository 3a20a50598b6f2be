import Foundation
import NIOHTTP1
import Testing

@Suite(.serialized) struct GatewayServerGuardrailConfigTests {
    private static let config = """
        endpoints:
          - name: Echo
            slug: echo
            model: mock/echo
        guardrails:
          - name: No table drops
            kind: blocked_terms
            stage: input
            action: block
            endpoints: [echo]
            config: {terms: [drop table]}
          - name: No secrets
            kind: secrets
            stage: input
            action: block
            active: false
        """

    @Test("applies guardrail rules from the config; a restart replaces them by name, never duplicates")
    func appliesRulesByName() async throws {
        let directory = try makeScratchDirectory("gateway-guardrails")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("gateway.yaml")
        try Self.config.write(to: config, atomically: true, encoding: .utf8)
        let store = "sqlite:" + directory.appendingPathComponent("gateway.sqlite").path
        let environment = ["GATEWAY_ADMIN_TOKEN": serverAdminToken, "GATEWAY_MASTER_KEY": serverMasterKey]
        for run in 1...2 {
            if run == 2 {
                // The second start changes one rule's terms: the stored rule is replaced, not added to.
                try Self.config.replacingOccurrences(of: "[drop table]", with: "[truncate]")
                    .write(to: config, atomically: true, encoding: .utf8)
            }
            let server = try ServerProcess(
                arguments: ["--store", store, "--port", "0", "--config", config.path], environment: environment)
            let port = try await server.waitForPort()
            let rules = try await call(.GET, port: port, "/api/guardrails")
            #expect(rules.status == 200)
            #expect(rules.body.components(separatedBy: #""name":"No table drops""#).count == 2, "run \(run)")
            #expect(rules.body.components(separatedBy: #""name":"No secrets""#).count == 2, "run \(run)")
            #expect(rules.body.contains(#""active":false"#))

            let blockedTerm = run == 1 ? "drop table" : "truncate"
            let blocked = try await call(
                .POST, port: port, "/v1/chat/completions",
                json: #"{"model":"echo","messages":[{"role":"user","content":"please \#(blockedTerm) users"}]}"#)
            #expect(blocked.status == 400, "run \(run): \(blocked.body)")
            #expect(blocked.body.contains("guardrail_blocked"))
            if run == 2 {
                let allowed = try await call(
                    .POST, port: port, "/v1/chat/completions",
                    json: #"{"model":"echo","messages":[{"role":"user","content":"please drop table users"}]}"#)
                #expect(allowed.status == 200, "the replaced rule no longer blocks: \(allowed.body)")
            }
            server.signal(SIGTERM)
            #expect(await server.waitForExit() == 0)
        }
    }

    @Test("a config rule the admin API would refuse stops the start, naming the rule and the field")
    func invalidRule() async throws {
        let directory = try makeScratchDirectory("gateway-guardrails")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("gateway.yaml")
        try """
        guardrails:
          - name: Fine
            kind: secrets
            stage: input
            action: block
          - name: Wrong
            kind: pii
            stage: output
            action: redact
            config: {types: [shoe_size]}
        """.write(to: config, atomically: true, encoding: .utf8)
        let server = try ServerProcess(
            arguments: ["--store", "memory", "--port", "0", "--config", config.path],
            environment: ["GATEWAY_ADMIN_TOKEN": serverAdminToken])
        let status = await server.waitForExit()
        #expect(status != nil && status != 0)
        #expect(server.stderr.contains("guardrails[1].config.types"), "\(server.stderr)")
        #expect(server.stderr.contains("shoe_size"))
    }
}
