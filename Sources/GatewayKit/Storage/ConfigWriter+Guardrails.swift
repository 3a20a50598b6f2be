extension ConfigWriter {
    func createGuardrail(_ draft: GuardrailRule.Draft) async throws -> GuardrailRule {
        try await serially {
            let snapshot = live.current
            try GuardrailValidator(endpoints: snapshot.endpoints).validate(draft)
            var id = GuardrailRule.ID.generate()
            while snapshot.guardrailRules[id] != nil { id = .generate() }
            let time = now()
            let rule = GuardrailRule(draft, id: id, version: 1, createdAt: time, updatedAt: time)
            try await store.insertGuardrail(rule)
            live.update { $0.setGuardrail(rule) }
            return rule
        }
    }

    func updateGuardrail(
        _ id: GuardrailRule.ID, draft: GuardrailRule.Draft, expectedVersion: Int
    ) async throws -> GuardrailRule {
        try await serially {
            let snapshot = live.current
            guard let current = snapshot.guardrailRules[id] else {
                throw GatewayError.notFound("no guardrail rule '\(id)'")
            }
            guard current.version == expectedVersion else {
                throw Self.stale("guardrail rule '\(id)'", current.version, expectedVersion)
            }
            try GuardrailValidator(endpoints: snapshot.endpoints).validate(draft)
            let rule = GuardrailRule(
                draft, id: id, version: current.version + 1, createdAt: current.createdAt, updatedAt: now())
            try await store.updateGuardrail(rule, expectedVersion: expectedVersion)
            live.update { $0.setGuardrail(rule) }
            return rule
        }
    }

    func deleteGuardrail(_ id: GuardrailRule.ID, expectedVersion: Int?) async throws {
        try await serially {
            guard let current = live.current.guardrailRules[id] else {
                throw GatewayError.notFound("no guardrail rule '\(id)'")
            }
            if let expectedVersion, current.version != expectedVersion {
                throw Self.stale("guardrail rule '\(id)'", current.version, expectedVersion)
            }
            try await store.deleteGuardrail(id, expectedVersion: expectedVersion)
            live.update { $0.removeGuardrail(id) }
        }
    }
}

extension ConfigSnapshot {
    // The one place a rule enters or leaves the snapshot, so anything derived from the rules can
    // be kept up to date here.
    mutating func setGuardrail(_ rule: GuardrailRule) {
        guardrailRules[rule.id] = rule
        guardrails = GuardrailSet(Array(guardrailRules.values))
    }

    mutating func removeGuardrail(_ id: GuardrailRule.ID) {
        guardrailRules[id] = nil
        guardrails = GuardrailSet(Array(guardrailRules.values))
    }

    /// How many active rules cover `slug`: the compiled set already knows.
    func activeGuardrailCount(for slug: Endpoint.Slug) -> Int {
        guardrails.activeCount(for: slug)
    }

    /// The rules that ask `slug` for their verdict.
    func guardrailsJudging(with slug: Endpoint.Slug) -> [GuardrailRule] {
        guardrailRules.values.filter { rule in
            if case .llmJudge(let judge, _) = rule.kind { return judge == slug }
            return false
        }
    }
}
