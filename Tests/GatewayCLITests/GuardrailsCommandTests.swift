import Foundation
import Testing

@Suite struct GuardrailsCommandTests {
    @Test("creates, lists, counts and deletes guardrail rules in a SQLite store")
    func createListStatusDelete() async throws {
        try await withTemporaryDirectory { directory in
            let store = ["--store", "sqlite:gateway.sqlite"]
            let endpoint = try await runGateway(
                ["endpoints", "add", "--name", "Echo Bot", "--model", "mock/echo"] + store, in: directory)
            #expect(endpoint.status == 0, "\(endpoint.stderr)")
            let everywhere = try await runGateway(
                ["guardrails", "create", "--name", "No secrets", "--kind", "secrets"] + store, in: directory)
            #expect(everywhere.status == 0, "\(everywhere.stderr)")
            #expect(everywhere.stdout.hasPrefix("gr_"))
            let scoped = try await runGateway(
                [
                    "guardrails", "create", "--name", "Mail", "--kind", "pii", "--pii", "email", "--pii", "phone",
                    "--stage", "output", "--action", "redact", "--endpoint", "echo-bot", "--order", "2",
                ] + store, in: directory)
            #expect(scoped.status == 0, "\(scoped.stderr)")

            let list = try await runGateway(["guardrails", "list"] + store, in: directory)
            #expect(list.status == 0, "\(list.stderr)")
            let lines = list.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("ID") == true)
            #expect(lines.contains { $0.contains("No secrets") && $0.contains("secrets") && $0.contains("all") })
            #expect(lines.contains { $0.contains("Mail") && $0.contains("pii") && $0.contains("echo-bot") })

            let status = try await runGateway(["guardrails", "status"] + store, in: directory)
            #expect(status.status == 0, "\(status.stderr)")
            #expect(status.stdout.hasPrefix("active rules: 2\n"))
            #expect(status.stdout.split(separator: "\n").contains { $0.hasPrefix("echo-bot") && $0.hasSuffix(" 2") })

            let id = everywhere.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let deleted = try await runGateway(["guardrails", "delete", id] + store, in: directory)
            #expect(deleted.status == 0, "\(deleted.stderr)")
            let after = try await runGateway(["guardrails", "status"] + store, in: directory)
            #expect(after.stdout.hasPrefix("active rules: 1\n"))
        }
    }

    @Test("an invalid rule prints the error naming the field and exits non-zero")
    func invalidRule() async throws {
        try await withTemporaryDirectory { directory in
            let result = try await runGateway(
                [
                    "guardrails", "create", "--name", "Bad", "--kind", "regex", "--pattern", "(open", "--store",
                    "memory",
                ],
                in: directory)
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("config.pattern is not a valid regular expression"))
        }
    }
}
