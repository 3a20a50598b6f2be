extension RouterCore {
    /// Runs the input rules of the attempt's endpoint, then the in-process input guardrails, and
    /// rewrites the messages on redaction.
    /// - Throws: `guardrailBlocked` naming the rule.
    func guardInput(_ request: inout ChatRequest, rules: [CompiledGuardrail]) async throws {
        var texts = request.messages.guardedTexts
        let original = texts
        try await guardrailRunner.run(rules, on: &texts)
        try await guardrailRunner.run(inProcessGuardrails.input, on: &texts)
        if texts != original { request.messages.replaceGuardedTexts(texts) }
    }

    /// Runs the output rules on a complete answer.
    /// - Throws: `guardrailBlocked` naming the rule.
    func guardOutput(_ response: inout ChatResponse, rules: [CompiledGuardrail]) async throws {
        var messages = response.choices.map(\.message)
        var texts = messages.guardedTexts
        let original = texts
        try await guardrailRunner.run(rules, on: &texts)
        try await guardrailRunner.run(inProcessGuardrails.output, on: &texts)
        guard texts != original else { return }
        messages.replaceGuardedTexts(texts)
        for index in response.choices.indices { response.choices[index].message = messages[index] }
    }

    /// The output rules of the step's endpoint, or `nil` when there are none (the common case,
    /// which then costs nothing).
    func outputRules(_ step: AttemptTrail.Step) -> [CompiledGuardrail]? {
        let stored = step.snapshot.guardrails.lists(for: step.endpoint.slug).output
        if inProcessGuardrails.output.isEmpty { return stored.isEmpty ? nil : stored }
        return stored + inProcessGuardrails.output
    }

    var guardrailRunner: GuardrailRunner {
        GuardrailRunner { [self] endpoint, request in
            try await complete(slug: endpoint, request: request, caller: .admin).text
        }
    }
}

/// The in-process guardrails from ``Gateway/Configuration/guardrails``, compiled by stage.
struct InProcessGuardrails: Sendable {
    var input: [CompiledGuardrail] = []
    var output: [CompiledGuardrail] = []

    init(_ guardrails: [any Guardrail] = []) {
        for guardrail in guardrails {
            let compiled = CompiledGuardrail(
                name: guardrail.name, stage: guardrail.stage, action: .block, check: .inProcess(guardrail)
            )
            switch guardrail.stage {
            case .input: input.append(compiled)
            case .output: output.append(compiled)
            }
        }
    }
}

extension [ChatMessage] {
    /// Every text a guardrail inspects: each message's text, or each text part, in order.
    var guardedTexts: [String] {
        var texts: [String] = []
        for message in self {
            switch message.content {
            case .text(let text)?: texts.append(text)
            case .parts(let parts)?:
                for case .text(let text) in parts { texts.append(text) }
            case nil: continue
            }
        }
        return texts
    }

    /// Puts back texts in the order ``guardedTexts`` listed them.
    mutating func replaceGuardedTexts(_ texts: [String]) {
        var next = texts.makeIterator()
        for index in indices {
            switch self[index].content {
            case .text?:
                if let text = next.next() { self[index].content = .text(text) }
            case .parts(var parts)?:
                for part in parts.indices {
                    guard case .text = parts[part], let text = next.next() else { continue }
                    parts[part] = .text(text)
                }
                self[index].content = .parts(parts)
            case nil: continue
            }
        }
    }
}
