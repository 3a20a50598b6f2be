import GatewayKit

/// The `--config` YAML file: keys, endpoints, tokens and guardrail rules to apply at start.
/// Secrets are written as `${ENV_VAR}` references, expanded from the environment.
///
/// ```yaml
/// keys:
///   - name: OpenAI prod
///     provider: openai
///     secret: ${OPENAI_API_KEY}
/// endpoints:
///   - name: Production GPT-4o
///     slug: prod-gpt4o
///     model: openai/gpt-4o
///     api_key: OpenAI prod        # a key of this file, by name
///     rate_limit_rpm: 600
///     fallbacks: [demo]
/// tokens:
///   - name: ci
///     role: editor
///     token: ${CI_GATEWAY_TOKEN}
/// guardrails:                     # as POST /api/guardrails takes them; matched by name
///   - name: No card numbers
///     kind: pii
///     stage: input
///     action: redact
///     endpoints: [prod-gpt4o]     # every endpoint when left out
///     config: {types: [card]}
/// ```
struct ConfigFile: Decodable, Sendable {
    struct Key: Decodable, Sendable {
        var name: String
        var provider: String
        var secret: String
        var baseURL: String?
        var apiVersion: String?
        var region: String?
        var project: String?
        var location: String?

        enum CodingKeys: String, CodingKey {
            case name, provider, secret, region, project, location
            case baseURL = "base_url"
            case apiVersion = "api_version"
        }
    }

    struct Target: Decodable, Sendable {
        var model: String
        var apiKey: String?
        var weight: Double?

        enum CodingKeys: String, CodingKey {
            case model, weight
            case apiKey = "api_key"
        }
    }

    struct Endpoint: Decodable, Sendable {
        var name: String
        var slug: String?
        var model: String?
        var apiKey: String?
        var targets: [Target]?
        var maxTokens: Int?
        var temperature: Double?
        var systemPrompt: String?
        var rateLimitRPM: Int?
        var fallbacks: [String]?
        var allowedRoles: [String]?
        var active: Bool?
        var timeoutMilliseconds: Int?

        enum CodingKeys: String, CodingKey {
            case name, slug, model, targets, temperature, fallbacks, active
            case apiKey = "api_key"
            case maxTokens = "max_tokens"
            case systemPrompt = "system_prompt"
            case rateLimitRPM = "rate_limit_rpm"
            case allowedRoles = "allowed_roles"
            case timeoutMilliseconds = "timeout_ms"
        }
    }

    struct Token: Decodable, Sendable {
        var name: String
        var role: String
        var token: String
    }

    var keys: [Key]?
    var endpoints: [Endpoint]?
    var tokens: [Token]?
    /// Guardrail rules in the shape of the admin API's JSON, read by `GuardrailRule.Draft(json:)`.
    var guardrails: [JSONValue]?
}

/// Expands `${NAME}` references from the environment.
struct EnvironmentExpander: Sendable {
    let environment: [String: String]

    /// `text` with every `${NAME}` replaced by the variable's value.
    /// - Throws: `ExampleError` naming the variable and where it is referenced, when it is unset.
    func expand(_ text: String, at place: String) throws(ConfigError) -> String {
        var out = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            let afterDollar = rest.index(after: dollar)
            guard afterDollar < rest.endIndex, rest[afterDollar] == "{" else {
                out += rest[...dollar]
                rest = rest[afterDollar...]
                continue
            }
            out += rest[..<dollar]
            let nameStart = rest.index(after: afterDollar)
            guard let end = rest[nameStart...].firstIndex(of: "}") else {
                throw ConfigError("\(place): '${' without a closing '}'")
            }
            let name = String(rest[nameStart..<end])
            guard let value = environment[name] else {
                throw ConfigError("\(place) refers to ${\(name)}, but the environment variable \(name) is not set")
            }
            out += value
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }
}

/// A problem in the `--config` file.
struct ConfigError: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
