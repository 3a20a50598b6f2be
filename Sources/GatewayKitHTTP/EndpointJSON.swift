import GatewayKit

/// Endpoints on the wire: snake_case JSON in, and the stored endpoint with what a list shows out.
enum EndpointJSON {
    static let writable: Set<String> = [
        "name", "slug", "model", "api_key_id", "targets", "max_tokens", "temperature", "system_prompt",
        "rate_limit_rpm", "fallbacks", "allowed_roles", "active", "timeout_ms", "version",
    ]
    // Fields a response shows that a client may send back unchanged.
    static let readOnly: Set<String> = [
        "provider", "key_name", "has_fallback", "active_guardrails", "created_at", "updated_at",
    ]

    /// A draft for `POST /api/endpoints`.
    /// - Throws: `GatewayError` `invalidRequest` naming the field at fault.
    static func draft(from fields: JSONFields) throws(GatewayError) -> Endpoint.Draft {
        try fields.rejectUnknown(writable, ignoring: readOnly)
        var draft = Endpoint.Draft(name: try fields.requiredString("name"))
        try apply(fields, to: &draft)
        return draft
    }

    /// Applies the fields present in a `PATCH` (or a create) to `draft`; `null` clears an
    /// optional field.
    /// - Throws: `GatewayError` `invalidRequest` naming the field at fault.
    static func apply(_ fields: JSONFields, to draft: inout Endpoint.Draft) throws(GatewayError) {
        try fields.rejectUnknown(writable, ignoring: readOnly)
        if fields.has("name") { draft.name = try fields.requiredString("name") }
        if fields.has("slug") {
            draft.slug = try fields.string("slug").map { (text) throws(GatewayError) in
                try Endpoint.Slug(validating: text)
            }
        }
        if fields.has("model") || fields.has("api_key_id") {
            if fields.has("model") { draft.model = try fields.string("model") }
            if fields.has("api_key_id") {
                draft.apiKeyID = try fields.string("api_key_id").map(APIKey.ID.init(rawValue:))
            }
            if !fields.has("targets") { draft.targets = nil }
        }
        if fields.has("targets") {
            draft.targets = try fields.objects("targets").map { (targets) throws(GatewayError) in
                try targets.enumerated().map { (index, target) throws(GatewayError) in try self.target(target, index) }
            }
            if draft.targets != nil {
                draft.model = nil
                draft.apiKeyID = nil
            }
        }
        if fields.has("max_tokens") { draft.maxTokens = try fields.int("max_tokens") }
        if fields.has("temperature") { draft.temperature = try fields.double("temperature") }
        if fields.has("system_prompt") { draft.systemPrompt = try fields.string("system_prompt") }
        if fields.has("rate_limit_rpm") { draft.rateLimitRPM = try fields.int("rate_limit_rpm") }
        if fields.has("fallbacks") {
            draft.fallbacks = try (fields.strings("fallbacks") ?? []).map(Endpoint.Slug.init(rawValue:))
        }
        if fields.has("allowed_roles") {
            let names = try fields.strings("allowed_roles") ?? Role.allCases.map(\.rawValue)
            draft.allowedRoles = Set(
                try names.map { (name) throws(GatewayError) in try Role(parsing: name, field: "allowed_roles") })
        }
        if fields.has("active") { draft.isActive = try fields.bool("active") ?? true }
        if fields.has("timeout_ms") {
            draft.timeout = try fields.int("timeout_ms").map { .milliseconds($0) } ?? Endpoint.defaultTimeout
        }
    }

    private static func target(_ fields: JSONFields, _ index: Int) throws(GatewayError) -> Endpoint.Draft.Target {
        let prefix = "targets[\(index)]."
        try fields.rejectUnknown([prefix + "model", prefix + "api_key_id", prefix + "weight"])
        return Endpoint.Draft.Target(
            model: try fields.requiredString(prefix + "model"),
            apiKeyID: try fields.string(prefix + "api_key_id").map(APIKey.ID.init(rawValue:)),
            weight: try fields.double(prefix + "weight") ?? 1
        )
    }

    /// An endpoint as responses show it.
    static func encode(_ summary: EndpointSummary) -> JSONValue {
        let endpoint = summary.endpoint
        let targets: [JSONValue] = endpoint.targets.map {
            .object([
                "model": .string($0.model.description), "api_key_id": ($0.apiKeyID?.rawValue).json,
                "weight": .double($0.weight),
            ])
        }
        return .object([
            "slug": .string(endpoint.slug.rawValue),
            "name": .string(endpoint.name),
            "model": summary.model.map { .string($0.description) } ?? .null,
            "provider": summary.provider.map { .string($0.rawValue) } ?? .null,
            "api_key_id": (endpoint.primaryTarget?.apiKeyID?.rawValue).json,
            "key_name": summary.keyName.json,
            "targets": .array(targets),
            "max_tokens": endpoint.maxTokens.json,
            "temperature": endpoint.temperature.json,
            "system_prompt": endpoint.systemPrompt.json,
            "rate_limit_rpm": endpoint.rateLimitRPM.json,
            "fallbacks": .array(endpoint.fallbacks.map { .string($0.rawValue) }),
            "has_fallback": .bool(summary.hasFallback),
            "allowed_roles": .array(endpoint.allowedRoles.sorted().map { .string($0.rawValue) }),
            "active": .bool(endpoint.isActive),
            "active_guardrails": .int(summary.activeGuardrails),
            "timeout_ms": .int(endpoint.timeoutMilliseconds),
            "version": .int(endpoint.version),
            "created_at": endpoint.createdAt.iso8601,
            "updated_at": endpoint.updatedAt.iso8601,
        ])
    }
}
