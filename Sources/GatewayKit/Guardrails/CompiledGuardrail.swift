/// A guardrail ready to run: a stored rule compiled once per configuration change, or an
/// in-process ``Guardrail``.
struct CompiledGuardrail: Sendable {
    enum Check: Sendable {
        /// Looks for spans (terms, regex, PII, secrets).
        case pattern(any TextMatcher)
        /// Limits the input's size.
        case maxInput(characters: Int?, tokens: Int?)
        /// Asks another endpoint for a verdict.
        case judge(endpoint: Endpoint.Slug, policy: String)
        /// An in-process guardrail.
        case inProcess(any Guardrail)
        /// A stored rule that does not compile; it blocks everything rather than let text through unchecked.
        case broken(String)
    }

    var name: String
    var stage: GuardrailRule.Stage
    var action: GuardrailRule.Action
    var check: Check

    /// The error a block by this guardrail produces.
    func blocked(_ reason: String) -> GatewayError {
        GatewayError(
            .guardrailBlocked,
            "guardrail rule '\(name)' blocked the \(stage == .input ? "request" : "answer"): \(reason)",
            failureClass: .blocked)
    }

    /// Whether a stream must be held back to its end for this guardrail to decide.
    var needsWholeText: Bool {
        switch check {
        case .pattern, .maxInput: false
        case .judge, .inProcess, .broken: true
        }
    }
}

extension GuardrailRule {
    /// The most characters a `regex` rule's match may span; a stream holds back at most this many.
    public static let regexSpanLimit = 256

    /// Checks that the rule compiles and that its settings make sense, as stores and the HTTP
    /// routes should before saving it.
    /// - Throws: `GatewayError` `invalidRequest` naming the field: an empty name, no terms, a
    ///   pattern Swift `Regex` rejects, no PII types, a size limit that is missing or not positive,
    ///   `max_input` on the output stage or with `redact`, `llm_judge` with `redact` or no policy.
    public func validate() throws(GatewayError) {
        _ = try compile()
    }

    /// Compiles the rule.
    /// - Throws: `GatewayError` `invalidRequest`, as ``validate()``.
    func compile() throws(GatewayError) -> CompiledGuardrail {
        if name.trimmingWhitespace().isEmpty { throw GatewayError.invalid("name", "a guardrail rule needs a name") }
        let check: CompiledGuardrail.Check
        switch kind {
        case .blockedTerms(let terms):
            let matcher: TermMatcher?
            do {
                matcher = try TermMatcher(terms: terms)
            } catch {
                throw GatewayError(
                    .invalidRequest, "the terms of rule '\(name)' cannot be compiled", field: "terms", underlying: error
                )
            }
            guard let matcher else {
                throw GatewayError.invalid("terms", "a blocked_terms rule needs at least one term")
            }
            check = .pattern(matcher)
        case .regex(let pattern):
            check = .pattern(try Self.compileRegex(pattern))
        case .pii(let types):
            guard let matcher = PIIMatcher(types: types) else {
                throw GatewayError.invalid("types", "a pii rule needs at least one of email, phone, card, iban, ip")
            }
            check = .pattern(matcher)
        case .secrets:
            check = .pattern(SecretsMatcher())
        case .maxInput(let characters, let tokens):
            try validateMaxInput(characters: characters, tokens: tokens)
            check = .maxInput(characters: characters, tokens: tokens)
        case .llmJudge(let endpoint, let policy):
            if policy.trimmingWhitespace().isEmpty {
                throw GatewayError.invalid("policy", "an llm_judge rule needs a policy stating what is not allowed")
            }
            if action != .block { throw GatewayError.invalid("action", "an llm_judge rule can only block") }
            check = .judge(endpoint: endpoint, policy: policy)
        }
        return CompiledGuardrail(name: name, stage: stage, action: action, check: check)
    }

    private static func compileRegex(_ pattern: String) throws(GatewayError) -> RegexMatcher {
        if pattern.isEmpty { throw GatewayError.invalid("pattern", "a regex rule needs a pattern") }
        do {
            let regex = try Regex(pattern)
            if "".wholeMatch(of: regex) != nil {
                throw GatewayError.invalid("pattern", "the pattern matches the empty text; it would match everywhere")
            }
            return RegexMatcher(regex: regex, longestMatch: regexSpanLimit)
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(
                .invalidRequest, "the pattern is not a valid regular expression: \(error)", field: "pattern",
                underlying: error
            )
        }
    }

    private func validateMaxInput(characters: Int?, tokens: Int?) throws(GatewayError) {
        if characters == nil && tokens == nil {
            throw GatewayError.invalid("max_chars", "a max_input rule needs a character or token limit")
        }
        if let characters, characters <= 0 {
            throw GatewayError.invalid("max_chars", "the character limit must be positive")
        }
        if let tokens, tokens <= 0 { throw GatewayError.invalid("max_tokens", "the token limit must be positive") }
        if stage != .input { throw GatewayError.invalid("stage", "a max_input rule runs on the input stage only") }
        if action != .block { throw GatewayError.invalid("action", "a max_input rule can only block") }
    }
}
