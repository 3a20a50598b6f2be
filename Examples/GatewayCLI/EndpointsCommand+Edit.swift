import ArgumentParser
import GatewayExampleSupport
import GatewayKit

extension EndpointsCommand {
    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Edit an endpoint; only the options given change.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The endpoint's slug.") var slug: String
        @Option(help: "New display name.") var name: String?
        @Option(help: "New model string (makes it a one-target endpoint).") var model: String?
        @Option(help: "New API key, by id or name.") var key: String?
        @Flag(help: "Remove the API key.") var noKey = false
        @Option(help: "Requests per minute.") var rpm: Int?
        @Flag(help: "Remove the rate limit.") var noRpm = false
        @Option(help: "Max tokens default and cap.") var maxTokens: Int?
        @Option(help: "Temperature default.") var temperature: Double?
        @Option(help: "System prompt; an empty string removes it.") var systemPrompt: String?
        @Option(help: "Fallbacks, replacing the current ones; repeat in order.") var fallback: [String] = []
        @Flag(help: "Remove every fallback.") var noFallbacks = false
        @Option(help: "Whether it answers: true or false.") var active: Bool?
        @Option(help: "Upstream timeout in milliseconds.") var timeoutMs: Int?
        @Option(help: "Apply only if the endpoint is still at this version.") var version: Int?

        func run() async throws {
            try await options.withGateway { gateway in
                let keyID = try key.map { try resolveKey($0, in: gateway) }
                let endpoint = try await gateway.endpoints.update(
                    Endpoint.Slug(rawValue: slug), expectedVersion: version, by: .admin
                ) { draft in
                    if let name { draft.name = name }
                    if let model {
                        draft.model = model
                        draft.targets = nil
                    }
                    if let keyID { draft.apiKeyID = keyID }
                    if noKey { draft.apiKeyID = nil }
                    if let rpm { draft.rateLimitRPM = rpm }
                    if noRpm { draft.rateLimitRPM = nil }
                    if let maxTokens { draft.maxTokens = maxTokens }
                    if let temperature { draft.temperature = temperature }
                    if let systemPrompt { draft.systemPrompt = systemPrompt.isEmpty ? nil : systemPrompt }
                    if !fallback.isEmpty { draft.fallbacks = fallback.map(Endpoint.Slug.init(rawValue:)) }
                    if noFallbacks { draft.fallbacks = [] }
                    if let active { draft.isActive = active }
                    if let timeoutMs { draft.timeout = .milliseconds(timeoutMs) }
                }
                Console.out("updated \(endpoint.slug) to version \(endpoint.version)")
            }
        }
    }
}
