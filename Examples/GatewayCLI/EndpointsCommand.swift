import ArgumentParser
import GatewayExampleSupport
import GatewayKit

struct EndpointsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoints", abstract: "List, show, add, edit and remove endpoints.",
        subcommands: [List.self, Show.self, Add.self, Edit.self, Remove.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the endpoints.")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await options.withGateway { gateway in
                let summaries = gateway.endpoints.list(by: .admin)
                guard !summaries.isEmpty else { return Console.out("no endpoints") }
                var table = Table(headers: ["SLUG", "NAME", "MODEL", "KEY", "RPM", "FALLBACKS", "ACTIVE", "VERSION"])
                for summary in summaries {
                    let endpoint = summary.endpoint
                    table.rows.append([
                        endpoint.slug.rawValue, endpoint.name,
                        endpoint.targets.count > 1
                            ? "\(endpoint.targets.count) targets" : summary.model?.description ?? "-",
                        summary.keyName ?? "-", endpoint.rateLimitRPM.map(String.init) ?? "-",
                        endpoint.fallbacks.isEmpty ? "-" : endpoint.fallbacks.map(\.rawValue).joined(separator: ","),
                        endpoint.isActive ? "yes" : "no", String(endpoint.version),
                    ])
                }
                Console.out(table.render())
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one endpoint.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The endpoint's slug.") var slug: String

        func run() async throws {
            try await options.withGateway { gateway in
                let summary = try gateway.endpoints.get(Endpoint.Slug(rawValue: slug), by: .admin)
                let endpoint = summary.endpoint
                var lines: [(String, String)] = [("slug", endpoint.slug.rawValue), ("name", endpoint.name)]
                for (index, target) in endpoint.targets.enumerated() {
                    let label = endpoint.targets.count > 1 ? "target \(index + 1)" : "model"
                    let key = target.apiKeyID.map { " (key \($0))" } ?? ""
                    let weight = endpoint.targets.count > 1 ? " weight \(target.weight)" : ""
                    lines.append((label, "\(target.model)\(key)\(weight)"))
                }
                lines += [
                    ("key name", summary.keyName ?? "-"),
                    ("max tokens", endpoint.maxTokens.map(String.init) ?? "-"),
                    ("temperature", endpoint.temperature.map { "\($0)" } ?? "-"),
                    ("system prompt", endpoint.systemPrompt ?? "-"),
                    ("rate limit", endpoint.rateLimitRPM.map { "\($0) requests/minute" } ?? "none"),
                    (
                        "fallbacks",
                        endpoint.fallbacks.isEmpty ? "-" : endpoint.fallbacks.map(\.rawValue).joined(separator: ", ")
                    ),
                    ("allowed roles", endpoint.allowedRoles.sorted().map(\.rawValue).joined(separator: ", ")),
                    ("active", endpoint.isActive ? "yes" : "no"),
                    ("timeout", "\(endpoint.timeoutMilliseconds) ms"),
                    ("version", String(endpoint.version)),
                ]
                let width = lines.map(\.0.count).max() ?? 0
                for (label, value) in lines {
                    Console.out(label + ":" + String(repeating: " ", count: width - label.count + 2) + value)
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an endpoint; prints its slug.")
        @OptionGroup var options: StoreOptions
        @Option(help: "Display name; the slug is made from it unless --slug is given.") var name: String
        @Option(help: "Model string, provider/model (mock/echo, openai/gpt-4o).") var model: String
        @Option(help: "API key, by id or name (not needed for mock, Ollama, vLLM).") var key: String?
        @Option(help: "A custom slug.") var slug: String?
        @Option(help: "Requests per minute.") var rpm: Int?
        @Option(help: "Max tokens default and cap.") var maxTokens: Int?
        @Option(help: "Temperature default.") var temperature: Double?
        @Option(help: "System prompt prepended to every request.") var systemPrompt: String?
        @Option(help: "An endpoint to fall back to; repeat in order.") var fallback: [String] = []
        @Option(help: "A role allowed to call it; repeat. Default: every role.") var role: [String] = []
        @Option(help: "Upstream timeout in milliseconds.") var timeoutMs: Int?
        @Flag(help: "Create it inactive.") var inactive = false

        func run() async throws {
            try await options.withGateway { gateway in
                var draft = Endpoint.Draft(
                    name: name, slug: try slug.map { try Endpoint.Slug(validating: $0) }, model: model,
                    apiKeyID: try key.map { try resolveKey($0, in: gateway) }, maxTokens: maxTokens,
                    temperature: temperature, systemPrompt: systemPrompt, rateLimitRPM: rpm,
                    fallbacks: fallback.map(Endpoint.Slug.init(rawValue:)), isActive: !inactive
                )
                if !role.isEmpty { draft.allowedRoles = Set(try role.map { try Role(parsing: $0) }) }
                if let timeoutMs { draft.timeout = .milliseconds(timeoutMs) }
                let endpoint = try await gateway.endpoints.create(draft, by: .admin)
                Console.out(endpoint.slug.rawValue)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove an endpoint.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The endpoint's slug.") var slug: String

        func run() async throws {
            try await options.withGateway { gateway in
                try await gateway.endpoints.delete(Endpoint.Slug(rawValue: slug), by: .admin)
                Console.out("removed \(slug)")
            }
        }
    }
}

/// An API key named by id or by name.
func resolveKey(_ reference: String, in gateway: Gateway) throws -> APIKey.ID {
    let keys = try gateway.keys.list(by: .admin)
    if let key = keys.first(where: { $0.id.rawValue == reference }) ?? keys.first(where: { $0.name == reference }) {
        return key.id
    }
    throw GatewayError(.notFound, "no API key with id or name '\(reference)'; see `gateway keys list`", field: "key")
}
