import GatewayKit
import GatewayKitTesting
import Testing

@Suite struct GuardrailManagerTests {
    // A gateway with endpoints "alpha", "beta" and "judge".
    private func gatewayWithEndpoints(store: InMemoryGatewayStore = InMemoryGatewayStore()) async throws -> Gateway {
        let gateway = try await makeGateway(store: store)
        for slug in ["alpha", "beta", "judge"] {
            try await gateway.endpoints.create(
                .init(name: slug, slug: Endpoint.Slug(rawValue: slug), model: "mock/echo"), by: .admin)
        }
        return gateway
    }

    @Test("creates a rule with an id and version 1, lists rules by order then name, and reads one")
    func createListGet() async throws {
        let store = InMemoryGatewayStore()
        let gateway = try await gatewayWithEndpoints(store: store)
        let late = try await gateway.guardrails.create(
            .init(name: "late", kind: .secrets, stage: .output, action: .redact, order: 5), by: .admin)
        let early = try await gateway.guardrails.create(
            .init(name: "  early  ", kind: .blockedTerms(["forbidden"]), stage: .input, action: .block), by: .admin)
        let tie = try await gateway.guardrails.create(
            .init(name: "a tie", kind: .pii(types: [.email]), stage: .input, action: .redact), by: .admin)
        #expect(late.id.rawValue.hasPrefix("gr_"))
        #expect(late.version == 1)
        #expect(early.name == "early")
        let listed = try gateway.guardrails.list(by: Caller(role: .auditor))
        #expect(listed.map(\.id) == [tie.id, early.id, late.id])
        #expect(try gateway.guardrails.get(late.id, by: Caller(role: .reviewer)) == late)
        #expect(try await store.load().guardrails.count == 3)
    }

    @Test("Editors and Admins write rules; Reviewers and Auditors only read")
    func roles() async throws {
        let gateway = try await gatewayWithEndpoints()
        let draft = GuardrailRule.Draft(name: "r", kind: .secrets, stage: .input, action: .block)
        let rule = try await gateway.guardrails.create(draft, by: Caller(role: .editor))
        for role in [Role.reviewer, .auditor] {
            let caller = Caller(role: role)
            #expect(await gatewayError { try await gateway.guardrails.create(draft, by: caller) }?.code == .forbidden)
            let update = await gatewayError {
                try await gateway.guardrails.update(rule.id, by: caller) { $0.name = "changed" }
            }
            #expect(update?.code == .forbidden)
            #expect(await gatewayError { try await gateway.guardrails.delete(rule.id, by: caller) }?.code == .forbidden)
            #expect(try gateway.guardrails.list(by: caller).count == 1)
            #expect(try gateway.guardrails.status(by: caller).active == 1)
        }
        try await gateway.guardrails.delete(rule.id, by: .admin)
        #expect(try gateway.guardrails.list(by: .admin).isEmpty)
    }

    @Test(
        "every validation error names its field",
        arguments: [
            (GuardrailRule.Draft(name: " ", kind: .secrets, stage: .input, action: .block), "name", "empty"),
            (.init(name: "x", kind: .blockedTerms([]), stage: .input, action: .block), "config.terms", "at least one"),
            (
                .init(name: "x", kind: .blockedTerms(["ok", " "]), stage: .input, action: .block), "config.terms",
                "empty"
            ),
            (
                .init(name: "x", kind: .regex(pattern: "(unclosed"), stage: .input, action: .block), "config.pattern",
                "not a valid"
            ),
            (.init(name: "x", kind: .regex(pattern: ""), stage: .input, action: .block), "config.pattern", "empty"),
            (.init(name: "x", kind: .pii(types: []), stage: .input, action: .redact), "config.types", "at least one"),
            (
                .init(name: "x", kind: .maxInput(maxCharacters: nil, maxTokens: nil), stage: .input, action: .block),
                "config", "max_chars"
            ),
            (
                .init(name: "x", kind: .maxInput(maxCharacters: 0, maxTokens: nil), stage: .input, action: .block),
                "config.max_chars", "positive"
            ),
            (
                .init(name: "x", kind: .maxInput(maxCharacters: nil, maxTokens: -1), stage: .input, action: .block),
                "config.max_tokens", "positive"
            ),
            (
                .init(name: "x", kind: .maxInput(maxCharacters: 10, maxTokens: nil), stage: .output, action: .block),
                "stage", "must be 'input'"
            ),
            (
                .init(name: "x", kind: .maxInput(maxCharacters: 10, maxTokens: nil), stage: .input, action: .redact),
                "action", "must be 'block'"
            ),
            (
                .init(
                    name: "x", kind: .llmJudge(endpoint: "ghost", policy: "p"), stage: .input, action: .block,
                    scope: .endpoints(["alpha"])),
                "config.judge_endpoint", "no endpoint"
            ),
            (
                .init(
                    name: "x", kind: .llmJudge(endpoint: "judge", policy: " "), stage: .input, action: .block,
                    scope: .endpoints(["alpha"])),
                "config.policy", "policy"
            ),
            (
                .init(
                    name: "x", kind: .llmJudge(endpoint: "judge", policy: "p"), stage: .output, action: .redact,
                    scope: .endpoints(["alpha"])),
                "action", "must be 'block'"
            ),
            (
                .init(name: "x", kind: .secrets, stage: .input, action: .block, scope: .endpoints(["alpha", "ghost"])),
                "endpoints", "'ghost'"
            ),
            (
                .init(name: "x", kind: .secrets, stage: .input, action: .block, scope: .endpoints([])), "endpoints",
                "at least one"
            ),
        ])
    func validation(_ draft: GuardrailRule.Draft, field: String, message: String) async throws {
        let gateway = try await gatewayWithEndpoints()
        let error = await gatewayError { try await gateway.guardrails.create(draft, by: .admin) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.field == field)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
        #expect(try gateway.guardrails.list(by: .admin).isEmpty)
    }

    @Test("a judge covering only other endpoints is valid, and its judge endpoint cannot be deleted")
    func judgeRule() async throws {
        let gateway = try await gatewayWithEndpoints()
        let rule = try await gateway.guardrails.create(
            .init(
                name: "medical", kind: .llmJudge(endpoint: "judge", policy: "No medical advice."), stage: .input,
                action: .block, scope: .endpoints(["alpha", "beta"])),
            by: .admin)
        let error = await gatewayError { try await gateway.endpoints.delete("judge", by: .admin) }
        #expect(error?.code == .conflict)
        #expect(error?.message.contains("'medical'") == true)
        try await gateway.guardrails.delete(rule.id, by: .admin)
        try await gateway.endpoints.delete("judge", by: .admin)
    }

    @Test("an update bumps the version, keeps the creation time, and a stale version is a conflict")
    func updates() async throws {
        let store = InMemoryGatewayStore()
        let gateway = try await gatewayWithEndpoints(store: store)
        let rule = try await gateway.guardrails.create(
            .init(name: "terms", kind: .blockedTerms(["a"]), stage: .input, action: .block), by: .admin)
        let edited = try await gateway.guardrails.update(rule.id, expectedVersion: 1, by: .admin) { draft in
            draft.kind = .blockedTerms(["a", "b"])
            draft.scope = .endpoints(["beta"])
            draft.active = false
        }
        #expect(edited.version == 2)
        #expect(edited.createdAt == rule.createdAt)
        #expect(edited.kind == .blockedTerms(["a", "b"]))
        #expect(try await store.load().guardrails == [edited])
        let stale = await gatewayError {
            try await gateway.guardrails.update(rule.id, expectedVersion: 1, by: .admin) { $0.name = "late" }
        }
        #expect(stale?.code == .conflict)
        let invalid = await gatewayError {
            try await gateway.guardrails.update(rule.id, by: .admin) { $0.kind = .regex(pattern: "[") }
        }
        #expect(invalid?.field == "config.pattern")
        #expect(
            await gatewayError { try await gateway.guardrails.delete(rule.id, expectedVersion: 1, by: .admin) }?.code
                == .conflict)
        #expect(try gateway.guardrails.get(rule.id, by: .admin) == edited)
    }

    @Test("a missing rule is notFound for get, update and delete")
    func missing() async throws {
        let gateway = try await gatewayWithEndpoints()
        #expect(await gatewayError { _ = try gateway.guardrails.get("gr_missing", by: .admin) }?.code == .notFound)
        let update = await gatewayError { try await gateway.guardrails.update("gr_missing", by: .admin) { _ in } }
        #expect(update?.code == .notFound)
        #expect(await gatewayError { try await gateway.guardrails.delete("gr_missing", by: .admin) }?.code == .notFound)
    }

    @Test("counts active rules in total and per endpoint, in the status and the endpoint list")
    func counts() async throws {
        let gateway = try await gatewayWithEndpoints()
        try await gateway.guardrails.create(
            .init(name: "everywhere", kind: .secrets, stage: .input, action: .block), by: .admin)
        try await gateway.guardrails.create(
            .init(
                name: "alpha only", kind: .pii(types: [.email]), stage: .output, action: .redact,
                scope: .endpoints(["alpha"])), by: .admin)
        let both = try await gateway.guardrails.create(
            .init(
                name: "alpha and beta", kind: .blockedTerms(["x"]), stage: .input, action: .block,
                scope: .endpoints(["alpha", "beta"])), by: .admin)
        try await gateway.guardrails.create(
            .init(name: "off", kind: .secrets, stage: .input, action: .block, active: false), by: .admin)

        let status = try gateway.guardrails.status(by: .admin)
        #expect(status.active == 3)
        #expect(status.byEndpoint == ["alpha": 3, "beta": 2, "judge": 1])
        let listed = Dictionary(
            uniqueKeysWithValues: gateway.endpoints.list(by: .admin).map { ($0.slug, $0.activeGuardrails) })
        #expect(listed == ["alpha": 3, "beta": 2, "judge": 1])
        #expect(try gateway.endpoints.get("beta", by: .admin).activeGuardrails == 2)

        try await gateway.guardrails.update(both.id, by: .admin) { $0.active = false }
        #expect(try gateway.guardrails.status(by: .admin).byEndpoint == ["alpha": 2, "beta": 1, "judge": 1])
        #expect(try gateway.endpoints.get("beta", by: .admin).activeGuardrails == 1)
        try await gateway.guardrails.update(both.id, by: .admin) { $0.scope = .endpoints(["beta"]) }
        for rule in try gateway.guardrails.list(by: .admin) where rule.scope == .everyEndpoint {
            try await gateway.guardrails.delete(rule.id, by: .admin)
        }
        // Endpoints without an active rule are left out.
        #expect(try gateway.guardrails.status(by: .admin) == GuardrailStatus(active: 1, byEndpoint: ["alpha": 1]))
        #expect(try gateway.endpoints.get("judge", by: .admin).activeGuardrails == 0)
    }

    @Test("status counts only the endpoints the caller's role may see")
    func statusFollowsRoles() async throws {
        let gateway = try await gatewayWithEndpoints()
        try await gateway.endpoints.create(
            .init(name: "Admins", slug: "admins", model: "mock/echo", allowedRoles: [.admin]), by: .admin)
        try await gateway.guardrails.create(
            .init(name: "everywhere", kind: .secrets, stage: .input, action: .block), by: .admin)
        let status = try gateway.guardrails.status(by: Caller(role: .auditor))
        #expect(status.active == 1)
        #expect(status.byEndpoint == ["alpha": 1, "beta": 1, "judge": 1])
        #expect(try gateway.guardrails.status(by: .admin).byEndpoint["admins"] == 1)
    }

    @Test("a rule written by another gateway on the same store reaches this one on reload")
    func reload() async throws {
        let store = InMemoryGatewayStore()
        let first = try await makeGateway(store: store)
        let second = try await makeGateway(store: store)
        let rule = try await first.guardrails.create(
            .init(name: "r", kind: .secrets, stage: .input, action: .block), by: .admin)
        #expect(try second.guardrails.list(by: .admin).isEmpty)
        try await second.reload()
        #expect(try second.guardrails.list(by: .admin) == [rule])
    }

    @Test("an llm_judge rule on every endpoint, its judge included, is accepted and does not judge its own verdicts")
    func judgeOnEveryEndpoint() async throws {
        let gateway = try await makeGateway(store: InMemoryGatewayStore())
        try await gateway.endpoints.create(.init(name: "alpha", slug: "alpha", model: "mock/echo"), by: .admin)
        try await gateway.endpoints.create(.init(name: "judge", slug: "judge", model: "mock/fixed:no"), by: .admin)
        try await gateway.guardrails.create(
            .init(name: "moderation", kind: .llmJudge(endpoint: "judge", policy: "no insults"), stage: .input, action: .block),
            by: Caller(role: .editor)
        )
        let reply = try await gateway.router.complete(slug: "alpha", request: .init(messages: [.user("hello")]), as: .admin)
        #expect(reply.text == "hello")
    }
}
