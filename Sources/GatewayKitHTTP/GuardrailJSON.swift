public import GatewayKit

extension GuardrailRule.Draft {
    /// A draft from a rule as `POST /api/guardrails` takes it: `{"name", "kind", "stage",
    /// "action", "endpoints"?, "active"?, "order"?, "config": {…}}`. A configuration file can
    /// hold rules in this shape (gateway-server's `--config` does).
    /// - Parameter json: the rule, an object.
    /// - Throws: `GatewayError` `invalidRequest` naming the field at fault.
    public init(json: JSONValue) throws(GatewayError) {
        guard case .object(let object) = json else {
            throw GatewayError(.invalidRequest, "a guardrail rule must be an object")
        }
        self = try GuardrailJSON.draft(from: JSONFields(object: object, prefix: ""))
    }
}

/// Guardrail rules on the wire: `{"name", "kind", "stage", "action", "endpoints"?, "active"?,
/// "order"?, "config": {…}}` in, and the stored rule with its id, version and times out.
enum GuardrailJSON {
    static let writable: Set<String> = [
        "name", "kind", "stage", "action", "endpoints", "active", "order", "config", "version",
    ]
    // Fields a response shows that a client may send back unchanged.
    static let readOnly: Set<String> = ["id", "created_at", "updated_at"]

    static let kindNames = ["blocked_terms", "regex", "pii", "secrets", "max_input", "llm_judge"]

    /// A draft for `POST /api/guardrails`.
    /// - Throws: `GatewayError` `invalidRequest` naming the field at fault.
    static func draft(from fields: JSONFields) throws(GatewayError) -> GuardrailRule.Draft {
        try fields.rejectUnknown(writable, ignoring: readOnly)
        var draft = GuardrailRule.Draft(
            name: try fields.requiredString("name"),
            kind: try kind(try fields.requiredString("kind"), config: try config(fields)),
            stage: try stage(try fields.requiredString("stage")),
            action: try action(try fields.requiredString("action"))
        )
        try apply(fields, to: &draft)
        return draft
    }

    /// Applies the fields present in a `PATCH` (or a create) to `draft`. `config` alone changes
    /// the settings of the current kind; `"endpoints": null` covers every endpoint.
    /// - Throws: `GatewayError` `invalidRequest` naming the field at fault.
    static func apply(_ fields: JSONFields, to draft: inout GuardrailRule.Draft) throws(GatewayError) {
        try fields.rejectUnknown(writable, ignoring: readOnly)
        if fields.has("name") { draft.name = try fields.requiredString("name") }
        if fields.has("kind") || fields.has("config") {
            let name = try fields.string("kind") ?? draft.kind.name
            draft.kind = try kind(name, config: try config(fields))
        }
        if fields.has("stage") { draft.stage = try stage(try fields.requiredString("stage")) }
        if fields.has("action") { draft.action = try action(try fields.requiredString("action")) }
        if fields.has("endpoints") {
            draft.scope =
                try fields.strings("endpoints").map { .endpoints($0.map(Endpoint.Slug.init(rawValue:))) }
                ?? .everyEndpoint
        }
        if fields.has("active") { draft.active = try fields.bool("active") ?? true }
        if fields.has("order") { draft.order = try fields.int("order") ?? 0 }
    }

    /// A rule as responses show it.
    static func encode(_ rule: GuardrailRule) -> JSONValue {
        let endpoints: JSONValue =
            switch rule.scope {
            case .everyEndpoint: .null
            case .endpoints(let slugs): .array(slugs.map { .string($0.rawValue) })
            }
        return .object([
            "id": .string(rule.id.rawValue),
            "name": .string(rule.name),
            "kind": .string(rule.kind.name),
            "stage": .string(rule.stage.rawValue),
            "action": .string(rule.action.rawValue),
            "endpoints": endpoints,
            "active": .bool(rule.active),
            "order": .int(rule.order),
            "config": config(of: rule.kind),
            "version": .int(rule.version),
            "created_at": rule.createdAt.iso8601,
            "updated_at": rule.updatedAt.iso8601,
        ])
    }

    /// `{"active": N, "by_endpoint": {slug: N, …}}`.
    static func encode(_ status: GuardrailStatus) -> JSONValue {
        let byEndpoint = Dictionary(
            uniqueKeysWithValues: status.byEndpoint.map { ($0.key.rawValue, JSONValue.int($0.value)) })
        return .object(["active": .int(status.active), "by_endpoint": .object(byEndpoint)])
    }

    private static func config(of kind: GuardrailRule.Kind) -> JSONValue {
        switch kind {
        case .blockedTerms(let terms): .object(["terms": .array(terms.map(JSONValue.string))])
        case .regex(let pattern): .object(["pattern": .string(pattern)])
        case .pii(let types): .object(["types": .array(types.map { .string($0.rawValue) })])
        case .secrets: .object([:])
        case .maxInput(let maxCharacters, let maxTokens):
            .object(["max_chars": maxCharacters.json, "max_tokens": maxTokens.json])
        case .llmJudge(let endpoint, let policy):
            .object(["judge_endpoint": .string(endpoint.rawValue), "policy": .string(policy)])
        }
    }

    // The `config` object, its errors naming `config.<field>`; absent or null is empty.
    private static func config(_ fields: JSONFields) throws(GatewayError) -> JSONFields {
        switch fields.object["config"] {
        case nil, .null?: return JSONFields(object: [:], prefix: "config.")
        case .object(let object)?: return JSONFields(object: object, prefix: "config.")
        default: throw JSONFields.wrongType("config", "an object")
        }
    }

    private static func kind(_ name: String, config: JSONFields) throws(GatewayError) -> GuardrailRule.Kind {
        switch name {
        case "blocked_terms":
            try config.rejectUnknown(["config.terms"])
            return .blockedTerms(try required(config.strings("config.terms"), "config.terms", "an array of strings"))
        case "regex":
            try config.rejectUnknown(["config.pattern"])
            return .regex(pattern: try config.requiredString("config.pattern"))
        case "pii":
            try config.rejectUnknown(["config.types"])
            let names = try required(config.strings("config.types"), "config.types", "an array of strings")
            return .pii(types: try names.map(piiType))
        case "secrets":
            try config.rejectUnknown([])
            return .secrets
        case "max_input":
            try config.rejectUnknown(["config.max_chars", "config.max_tokens"])
            return .maxInput(
                maxCharacters: try config.int("config.max_chars"), maxTokens: try config.int("config.max_tokens"))
        case "llm_judge":
            try config.rejectUnknown(["config.judge_endpoint", "config.policy"])
            return .llmJudge(
                endpoint: Endpoint.Slug(rawValue: try config.requiredString("config.judge_endpoint")),
                policy: try config.requiredString("config.policy"))
        default:
            throw GatewayError(
                .invalidRequest, "unknown kind '\(name)'; use one of \(kindNames.joined(separator: ", "))",
                field: "kind")
        }
    }

    private static func piiType(_ name: String) throws(GatewayError) -> GuardrailRule.PIIType {
        guard let type = GuardrailRule.PIIType(rawValue: name) else {
            let names = GuardrailRule.PIIType.allCases.map(\.rawValue).joined(separator: ", ")
            throw GatewayError(
                .invalidRequest, "unknown PII type '\(name)' in config.types; use \(names)", field: "config.types")
        }
        return type
    }

    private static func stage(_ name: String) throws(GatewayError) -> GuardrailRule.Stage {
        guard let stage = GuardrailRule.Stage(rawValue: name) else {
            throw GatewayError(
                .invalidRequest, "field 'stage' must be 'input' or 'output', not '\(name)'", field: "stage")
        }
        return stage
    }

    private static func action(_ name: String) throws(GatewayError) -> GuardrailRule.Action {
        guard let action = GuardrailRule.Action(rawValue: name) else {
            throw GatewayError(
                .invalidRequest, "field 'action' must be 'block' or 'redact', not '\(name)'", field: "action")
        }
        return action
    }

    private static func required<T>(_ value: T?, _ key: String, _ expected: String) throws(GatewayError) -> T {
        guard let value else {
            throw GatewayError(.invalidRequest, "field '\(key)' is required and must be \(expected)", field: key)
        }
        return value
    }
}
