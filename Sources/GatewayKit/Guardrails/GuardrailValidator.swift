/// Checks a guardrail draft against the current endpoints. Pure: it reads what it is given and
/// does no I/O. Field names in errors are the HTTP contract's (`config.terms`, `endpoints`).
struct GuardrailValidator {
    var endpoints: [Endpoint.Slug: Endpoint]

    func validate(_ draft: GuardrailRule.Draft) throws(GatewayError) {
        if draft.name.trimmingWhitespace().isEmpty {
            throw GatewayError.invalid("name", "name must not be empty")
        }
        try validateScope(draft.scope)
        try validateKind(draft)
    }

    private func validateScope(_ scope: GuardrailRule.Scope) throws(GatewayError) {
        guard case .endpoints(let slugs) = scope else { return }
        if slugs.isEmpty {
            throw GatewayError.invalid(
                "endpoints", "endpoints must list at least one endpoint slug; omit it to cover every endpoint")
        }
        for slug in slugs where endpoints[slug] == nil {
            throw GatewayError.invalid("endpoints", "endpoints names '\(slug)', but no endpoint has that slug")
        }
    }

    private func validateKind(_ draft: GuardrailRule.Draft) throws(GatewayError) {
        switch draft.kind {
        case .blockedTerms(let terms):
            if terms.isEmpty || terms.contains(where: { $0.trimmingWhitespace().isEmpty }) {
                throw GatewayError.invalid(
                    "config.terms", "config.terms must list at least one term, and no term may be empty")
            }
        case .regex(let pattern):
            try validatePattern(pattern)
        case .pii(let types):
            if types.isEmpty {
                let names = GuardrailRule.PIIType.allCases.map(\.rawValue).joined(separator: ", ")
                throw GatewayError.invalid("config.types", "config.types must list at least one of \(names)")
            }
        case .secrets:
            break
        case .maxInput(let maxCharacters, let maxTokens):
            try validateMaxInput(draft, maxCharacters: maxCharacters, maxTokens: maxTokens)
        case .llmJudge(let judge, let policy):
            try validateJudge(draft, judge: judge, policy: policy)
        }
    }

    private func validatePattern(_ pattern: String) throws(GatewayError) {
        if pattern.isEmpty { throw GatewayError.invalid("config.pattern", "config.pattern must not be empty") }
        do {
            _ = try Regex(pattern)
        } catch {
            throw GatewayError(
                .invalidRequest, "config.pattern is not a valid regular expression: \(error)",
                field: "config.pattern", underlying: error)
        }
    }

    private func validateMaxInput(
        _ draft: GuardrailRule.Draft, maxCharacters: Int?, maxTokens: Int?
    ) throws(GatewayError) {
        if maxCharacters == nil && maxTokens == nil {
            throw GatewayError.invalid("config", "a max_input rule needs config.max_chars, config.max_tokens or both")
        }
        if let maxCharacters, maxCharacters <= 0 {
            throw GatewayError.invalid("config.max_chars", "config.max_chars must be positive, not \(maxCharacters)")
        }
        if let maxTokens, maxTokens <= 0 {
            throw GatewayError.invalid("config.max_tokens", "config.max_tokens must be positive, not \(maxTokens)")
        }
        if draft.stage != .input {
            throw GatewayError.invalid("stage", "stage must be 'input' for a max_input rule: it limits the request")
        }
        if draft.action != .block {
            throw GatewayError.invalid(
                "action", "action must be 'block' for a max_input rule: there is no match to redact")
        }
    }

    private func validateJudge(
        _ draft: GuardrailRule.Draft, judge: Endpoint.Slug, policy: String
    ) throws(GatewayError) {
        if policy.trimmingWhitespace().isEmpty {
            throw GatewayError.invalid("config.policy", "config.policy must state the policy the judge applies")
        }
        guard endpoints[judge] != nil else {
            throw GatewayError.invalid(
                "config.judge_endpoint", "config.judge_endpoint names '\(judge)', but no endpoint has that slug")
        }
        // A judge may sit inside the rule's own scope (a rule on every endpoint): the router never
        // judges a judge's own request, so the rule cannot call itself.
        if draft.action != .block {
            throw GatewayError.invalid(
                "action", "action must be 'block' for an llm_judge rule: its verdict names no text to redact")
        }
    }
}
