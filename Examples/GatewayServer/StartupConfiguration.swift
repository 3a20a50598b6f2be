import GatewayExampleSupport
import GatewayKit
import GatewayKitHTTP
import Logging
import Yams

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What the server applies before it listens: the `--config` file, the `GATEWAY_ADMIN_TOKEN`
/// seed, and on a fresh store the `demo` endpoint on `mock/echo`. Running it again on the same
/// store updates what exists and creates what is missing.
struct StartupConfiguration {
    let gateway: Gateway
    let settings: ServerSettings
    let logger: Logger

    func apply() async throws {
        let fresh = try DemoEndpoint.isFresh(gateway)
        if let path = settings.configFile {
            do {
                let file = try load(path)
                do {
                    try await apply(file)
                } catch let error as GatewayError where error.code == .conflict {
                    // Instances sharing a store and starting together race to apply the same file:
                    // take what the others wrote and apply once more (applying is idempotent).
                    try await gateway.reload()
                    try await apply(file)
                }
            } catch let error as ConfigError {
                throw ExampleError("config \(path): \(error.message)")
            } catch let error as GatewayError {
                throw ExampleError("config \(path): \(error.message)")
            }
        }
        if let token = settings.adminToken {
            do {
                try await gateway.tokens.seed(name: "GATEWAY_ADMIN_TOKEN", role: .admin, token: Secret(token))
            } catch let error as GatewayError {
                throw ExampleError("GATEWAY_ADMIN_TOKEN: \(error.message)")
            }
        }
        if fresh, try await DemoEndpoint.create(in: gateway) {
            logger.info("created the demo endpoint 'demo' on mock/echo")
        }
        if try gateway.tokens.list(by: .admin).isEmpty {
            logger.warning("no access tokens exist; set GATEWAY_ADMIN_TOKEN to call the gateway")
        }
    }

    private func load(_ path: String) throws -> ConfigFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError("cannot be read (\(error))")
        }
        do {
            return try YAMLDecoder().decode(ConfigFile.self, from: data)
        } catch {
            throw ConfigError("is not valid: \(error)")
        }
    }

    private func apply(_ file: ConfigFile) async throws {
        let env = EnvironmentExpander(environment: settings.environment)
        var keyIDs: [String: APIKey.ID] = [:]
        for key in try gateway.keys.list(by: .admin) { keyIDs[key.name] = key.id }
        for (index, entry) in (file.keys ?? []).enumerated() {
            let place = "keys[\(index)]"
            let secret = try env.expand(entry.secret, at: place + ".secret")
            let settings = APIKey.Settings(
                baseURL: try entry.baseURL.map { (url) throws(ConfigError) in
                    try env.expand(url, at: place + ".base_url")
                },
                apiVersion: entry.apiVersion, region: entry.region, project: entry.project, location: entry.location
            )
            if let id = keyIDs[entry.name] {
                try await gateway.keys.update(id, .init(secret: secret, settings: settings), by: .admin)
            } else {
                let key = try await gateway.keys.create(
                    .init(
                        name: entry.name, provider: Provider(rawValue: entry.provider), secret: secret,
                        settings: settings),
                    by: .admin
                )
                keyIDs[entry.name] = key.id
            }
        }
        let drafts = try (file.endpoints ?? []).enumerated().map { index, entry in
            try draft(entry, place: "endpoints[\(index)]", keyIDs: keyIDs)
        }
        // Create missing endpoints first without fallbacks, so fallbacks may name any of them.
        for var draft in drafts where draft.slug.map({ (try? gateway.endpoints.get($0, by: .admin)) == nil }) ?? true {
            draft.fallbacks = []
            try await gateway.endpoints.create(draft, by: .admin)
        }
        for draft in drafts {
            guard let slug = draft.slug else { continue }
            try await gateway.endpoints.update(slug, by: .admin) { $0 = draft }
        }
        try await applyGuardrails(file.guardrails ?? [])
        for (index, entry) in (file.tokens ?? []).enumerated() {
            let token = try env.expand(entry.token, at: "tokens[\(index)].token")
            try await gateway.tokens.seed(
                name: entry.name, role: try Role(parsing: entry.role, field: "tokens[\(index)].role"),
                token: Secret(token)
            )
        }
    }

    // After the endpoints, which rules may name. A rule whose name exists is replaced, so
    // applying the file again changes nothing.
    private func applyGuardrails(_ rules: [JSONValue]) async throws {
        let drafts = try rules.enumerated().map { index, rule throws(ConfigError) in
            do throws(GatewayError) {
                return try GuardrailRule.Draft(json: rule)
            } catch {
                let field = error.field.map { ".\($0)" } ?? ""
                throw ConfigError("guardrails[\(index)]\(field): \(error.message)")
            }
        }
        var existing: [String: GuardrailRule.ID] = [:]
        for rule in try gateway.guardrails.list(by: .admin) where existing[rule.name] == nil {
            existing[rule.name] = rule.id
        }
        for draft in drafts {
            if let id = existing[draft.name] {
                try await gateway.guardrails.update(id, by: .admin) { $0 = draft }
            } else {
                existing[draft.name] = try await gateway.guardrails.create(draft, by: .admin).id
            }
        }
    }

    private func draft(_ entry: ConfigFile.Endpoint, place: String, keyIDs: [String: APIKey.ID]) throws
        -> Endpoint.Draft
    {
        func key(_ name: String?, at field: String) throws -> APIKey.ID? {
            guard let name else { return nil }
            guard let id = keyIDs[name] else { throw ConfigError("\(place).\(field): no key named '\(name)'") }
            return id
        }
        let slug =
            try entry.slug.map { try Endpoint.Slug(validating: $0, field: place + ".slug") }
            ?? Endpoint.Slug.generate(from: entry.name)
        return Endpoint.Draft(
            name: entry.name, slug: slug, model: entry.model, apiKeyID: try key(entry.apiKey, at: "api_key"),
            targets: try entry.targets.map { targets in
                try targets.enumerated().map { index, target in
                    Endpoint.Draft.Target(
                        model: target.model, apiKeyID: try key(target.apiKey, at: "targets[\(index)].api_key"),
                        weight: target.weight ?? 1
                    )
                }
            },
            maxTokens: entry.maxTokens, temperature: entry.temperature,
            systemPrompt: entry.systemPrompt, rateLimitRPM: entry.rateLimitRPM,
            fallbacks: (entry.fallbacks ?? []).map(Endpoint.Slug.init(rawValue:)),
            allowedRoles: Set(
                try (entry.allowedRoles ?? Role.allCases.map(\.rawValue)).map {
                    try Role(parsing: $0, field: place + ".allowed_roles")
                }),
            isActive: entry.active ?? true,
            timeout: entry.timeoutMilliseconds.map { .milliseconds($0) } ?? Endpoint.defaultTimeout
        )
    }
}
