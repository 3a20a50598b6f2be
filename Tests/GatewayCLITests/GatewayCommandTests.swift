import Foundation
import Testing

@Suite struct GatewayCommandTests {
    @Test("adds a key and an endpoint to a SQLite store, lists them, and chats with mock/echo")
    func addListAndChatOnSQLite() async throws {
        try await withTemporaryDirectory { directory in
            let store = ["--store", "sqlite:gateway.sqlite"]
            let key = try await runGateway(
                ["keys", "add", "--name", "Mock account", "--provider", "mock"] + store, in: directory,
                input: "mock-secret-abcdef123456\n"
            )
            #expect(key.status == 0, "\(key.stderr)")
            #expect(key.stdout.hasPrefix("key_"))
            let added = try await runGateway(
                ["endpoints", "add", "--name", "Echo Bot", "--model", "mock/echo", "--rpm", "30"] + store, in: directory
            )
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout == "echo-bot\n")

            let keys = try await runGateway(["keys", "list"] + store, in: directory)
            #expect(keys.status == 0)
            #expect(keys.stdout.contains("Mock account"))
            #expect(keys.stdout.contains("mock-…3456"))
            #expect(!keys.stdout.contains("abcdef123456"))
            let endpoints = try await runGateway(["endpoints", "list"] + store, in: directory)
            #expect(endpoints.status == 0)
            let lines = endpoints.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("SLUG") == true)
            #expect(lines.contains { $0.hasPrefix("echo-bot") && $0.contains("mock/echo") && $0.contains("30") })

            let chat = try await runGateway(["chat", "echo-bot", "hello from the cli"] + store, in: directory)
            #expect(chat.status == 0, "\(chat.stderr)")
            #expect(chat.stdout == "hello from the cli\n")
        }
    }

    @Test("chats with the demo endpoint, whole and streamed")
    func chatsAndStreams() async throws {
        try await withTemporaryDirectory { directory in
            let whole = try await runGateway(["chat", "demo", "one two three", "--store", "memory"], in: directory)
            #expect(whole.status == 0, "\(whole.stderr)")
            #expect(whole.stdout == "one two three\n")
            let streamed = try await runGateway(
                ["chat", "demo", "one two three", "--stream", "--store", "memory"], in: directory)
            #expect(streamed.status == 0, "\(streamed.stderr)")
            #expect(streamed.stdout == "one two three\n")
        }
    }

    @Test("a bad slug prints the error on stderr and exits non-zero")
    func badSlug() async throws {
        try await withTemporaryDirectory { directory in
            let result = try await runGateway(["chat", "no-such-endpoint", "hi", "--store", "memory"], in: directory)
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("no endpoint 'no-such-endpoint'"))
        }
    }

    @Test("adds an endpoint and a key in one run, reporting the slug and the key id")
    func addsInProcess() async throws {
        try await withTemporaryDirectory { directory in
            let endpoint = try await runGateway(
                ["endpoints", "add", "--name", "Échos Deux", "--model", "mock/echo", "--store", "memory"], in: directory
            )
            #expect(endpoint.status == 0, "\(endpoint.stderr)")
            #expect(endpoint.stdout == "echos-deux\n")
            let key = try await runGateway(
                [
                    "keys", "add", "--name", "Mock account", "--provider", "mock", "--secret-env", "TEST_SECRET",
                    "--store",
                    "memory",
                ],
                in: directory, environment: ["TEST_SECRET": "sk-test-abcdefghij123456"]
            )
            #expect(key.status == 0, "\(key.stderr)")
            #expect(key.stdout.hasPrefix("key_"))
            let invalid = try await runGateway(
                ["endpoints", "add", "--name", "Bad", "--model", "nosuchprovider/x", "--store", "memory"], in: directory
            )
            #expect(invalid.status == 1)
            #expect(invalid.stderr.hasPrefix("error: "))
        }
    }

    @Test("lists the models grouped by provider")
    func models() async throws {
        try await withTemporaryDirectory { directory in
            let result = try await runGateway(["models"], in: directory)
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix("MODEL"))
            #expect(result.stdout.contains("openai/gpt-4o"))
            #expect(result.stdout.contains("\nanthropic"))
            #expect(result.stdout.contains("bedrock/"))
            #expect(result.stdout.contains("mock/echo"))
        }
    }

    @Test("refuses a SQLite store without a master key")
    func needsMasterKey() async throws {
        try await withTemporaryDirectory { directory in
            let result = try await runGateway(
                ["endpoints", "list"], in: directory, environment: ["GATEWAY_MASTER_KEY": ""])
            #expect(result.status == 1)
            #expect(result.stderr.contains("openssl rand -base64 32"))
        }
    }
}
