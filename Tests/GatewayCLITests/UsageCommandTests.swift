import Foundation
import Testing

@Suite struct UsageCommandTests {
    @Test("prints the usage of chats made through the CLI, by endpoint and by model, from the SQLite store")
    func printsUsage() async throws {
        try await withTemporaryDirectory { directory in
            let store = ["--store", "sqlite:gateway.sqlite"]
            for text in ["one", "two three"] {
                let chat = try await runGateway(["chat", "demo", text] + store, in: directory)
                #expect(chat.status == 0, "\(chat.stderr)")
            }
            let failed = try await runGateway(["chat", "no-such-endpoint", "x"] + store, in: directory)
            #expect(failed.status == 1)

            let usage = try await runGateway(["usage"] + store, in: directory)
            #expect(usage.status == 0, "\(usage.stderr)")
            let lines = usage.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("ENDPOINT") == true && lines.first?.contains("P99 MS") == true)
            let demo = try #require(lines.first { $0.hasPrefix("demo ") }, "\(usage.stdout)")
            // requests, errors; the mock model has no price, so both requests are unpriced at $0.
            let cells = demo.split(separator: " ").map(String.init)
            #expect(cells[1] == "2" && cells[2] == "0", "\(demo)")
            #expect(cells[5] == "0" && cells[6] == "2", "\(demo)")

            let byModel = try await runGateway(
                ["usage", "--by", "model", "--from", "2000-01-01"] + store, in: directory)
            #expect(byModel.status == 0, "\(byModel.stderr)")
            #expect(byModel.stdout.hasPrefix("MODEL"))
            #expect(byModel.stdout.contains("\nmock/echo "))

            let future = try await runGateway(["usage", "--from", "2999-01-01T00:00:00Z"] + store, in: directory)
            #expect(future.status == 0)
            #expect(future.stdout.split(separator: "\n").count == 2, "only the header and the rule: \(future.stdout)")
        }
    }

    @Test("a bad date prints the error and exits non-zero")
    func badDate() async throws {
        try await withTemporaryDirectory { directory in
            let result = try await runGateway(["usage", "--from", "last tuesday", "--store", "memory"], in: directory)
            #expect(result.status == 1)
            #expect(result.stderr.contains("'--from' must be an ISO 8601 date"))
        }
    }
}
