import ArgumentParser
import GatewayExampleSupport
import GatewayKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "List, add and remove upstream API keys (secrets are never shown).",
        subcommands: [List.self, Add.self, Remove.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the API keys, secrets masked.")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await options.withGateway { gateway in
                let keys = try gateway.keys.list(by: .admin)
                guard !keys.isEmpty else { return Console.out("no API keys") }
                var table = Table(headers: ["ID", "NAME", "PROVIDER", "SECRET", "BASE URL", "LAST USED"])
                for key in keys {
                    table.rows.append([
                        key.id.rawValue, key.name, key.provider.rawValue, key.masked, key.settings.baseURL ?? "-",
                        key.lastUsedAt.map { $0.formatted(.iso8601) } ?? "never",
                    ])
                }
                Console.out(table.render())
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an API key; prints its id.",
            discussion: "The secret comes from --secret-env VAR, or else from the first line of stdin."
        )
        @OptionGroup var options: StoreOptions
        @Option(help: "Display name.") var name: String
        @Option(help: "Provider: openai, anthropic, gemini, azure, bedrock, …") var provider: String
        @Option(help: "Read the secret from this environment variable.") var secretEnv: String?
        @Option(help: "Base URL, as the provider's SDK takes it.") var baseUrl: String?
        @Option(help: "API version (Azure, Anthropic).") var apiVersion: String?
        @Option(help: "Region (Bedrock).") var region: String?
        @Option(help: "Project (Vertex AI).") var project: String?
        @Option(help: "Location (Vertex AI).") var location: String?

        func run() async throws {
            try await options.withGateway { gateway in
                let secret = try readSecret()
                let settings = APIKey.Settings(
                    baseURL: baseUrl, apiVersion: apiVersion, region: region, project: project, location: location
                )
                let key = try await gateway.keys.create(
                    .init(name: name, provider: Provider(rawValue: provider), secret: secret, settings: settings),
                    by: .admin
                )
                Console.out(key.id.rawValue)
            }
        }

        // Never from a flag: command lines show up in `ps` and shell history.
        private func readSecret() throws(ExampleError) -> String {
            if let secretEnv {
                guard let value = ProcessInfo.processInfo.environment[secretEnv], !value.isEmpty else {
                    throw ExampleError("the environment variable \(secretEnv) is not set")
                }
                return value
            }
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ExampleError("no secret: pass --secret-env VAR or write the secret on stdin")
            }
            return line
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm", abstract: "Remove an API key no endpoint uses.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The key's id or name.") var key: String

        func run() async throws {
            try await options.withGateway { gateway in
                let id = try resolveKey(key, in: gateway)
                try await gateway.keys.delete(id, by: .admin)
                Console.out("removed \(id)")
            }
        }
    }
}
