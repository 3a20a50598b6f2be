import GatewayKit
import GatewayKitTesting
import Testing

@Suite struct EndpointManagerTests {
    @Test("creates an endpoint with a generated slug and suffixes taken ones")
    func generatedSlugs() async throws {
        let gateway = try await makeGateway()
        let first = try await gateway.endpoints.create(.init(name: "Production GPT-4o", model: "mock/echo"), by: .admin)
        let second = try await gateway.endpoints.create(.init(name: "Production GPT 4o", model: "mock/echo"), by: .admin)
        let third = try await gateway.endpoints.create(.init(name: "production gpt-4o!", model: "mock/echo"), by: .admin)
        #expect(first.slug == "production-gpt-4o")
        #expect(second.slug == "production-gpt-4o-2")
        #expect(third.slug == "production-gpt-4o-3")
        #expect(first.version == 1)
    }

    @Test("a custom slug is validated and must be unused")
    func customSlug() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "A", slug: "prod", model: "mock/echo"), by: .admin)
        let taken = await gatewayError { try await gateway.endpoints.create(.init(name: "B", slug: "prod", model: "mock/echo"), by: .admin) }
        #expect(taken?.code == .conflict)
        let invalid = await gatewayError { try await gateway.endpoints.create(.init(name: "B", slug: "Prod_1", model: "mock/echo"), by: .admin) }
        #expect(invalid?.code == .invalidRequest)
        #expect(invalid?.field == "slug")
    }

    @Test("every validation error names its field", arguments: [
        (Endpoint.Draft(name: "x", model: "openai/gpt-4o", apiKeyID: "key_missing"), "api_key_id", "unknown API key"),
        (Endpoint.Draft(name: "x", model: "openai/gpt-4o"), "api_key_id", "required"),
        (Endpoint.Draft(name: "x", model: "nope/model"), "model", "no known provider"),
        (Endpoint.Draft(name: "x", model: "mock/echo", fallbacks: ["ghost"]), "fallbacks", "unknown fallback"),
        (Endpoint.Draft(name: "x", model: "mock/echo", temperature: 2.5), "temperature", "between 0 and 2"),
        (Endpoint.Draft(name: "x", model: "mock/echo", temperature: -0.1), "temperature", "between 0 and 2"),
        (Endpoint.Draft(name: "x", model: "mock/echo", maxTokens: 0), "max_tokens", "positive"),
        (Endpoint.Draft(name: "x", model: "mock/echo", rateLimitRPM: -5), "rate_limit_rpm", "positive"),
        (Endpoint.Draft(name: "x", model: "mock/echo", allowedRoles: []), "allowed_roles", "at least one"),
        (Endpoint.Draft(name: "x", model: "mock/echo", timeout: .zero), "timeout_ms", "positive"),
        (Endpoint.Draft(name: "  ", model: "mock/echo"), "name", "empty"),
        (Endpoint.Draft(name: "x"), "model", "required"),
        (
            Endpoint.Draft(name: "x", targets: [.init(model: "mock/echo", weight: -1), .init(model: "mock/echo", weight: 2)]),
            "targets[0].weight", "zero or more"
        ),
        (
            Endpoint.Draft(name: "x", targets: [.init(model: "mock/echo", weight: 0), .init(model: "mock/echo", weight: 0)]),
            "targets", "must not all be zero"
        ),
    ])
    func validation(draft: Endpoint.Draft, field: String, text: String) async throws {
        let gateway = try await makeGateway()
        let error = await gatewayError { try await gateway.endpoints.create(draft, by: .admin) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.field == field)
        #expect(error?.message.contains(text) == true, "\(error?.message ?? "no error")")
    }

    @Test("a key of another provider is rejected")
    func keyProviderMismatch() async throws {
        let gateway = try await makeGateway()
        let key = try await gateway.keys.create(.init(name: "Mistral", provider: .mistral, secret: "mistral-0123456789abcdef"), by: .admin)
        let error = await gatewayError {
            try await gateway.endpoints.create(.init(name: "x", model: "openai/gpt-4o", apiKeyID: key.id), by: .admin)
        }
        #expect(error?.field == "api_key_id")
        #expect(error?.message.contains("mistral") == true)
    }

    @Test("fallback cycles are rejected, direct and through a chain")
    func cycles() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "c", model: "mock/echo"), by: .admin)
        try await gateway.endpoints.create(.init(name: "b", model: "mock/echo", fallbacks: ["c"]), by: .admin)
        try await gateway.endpoints.create(.init(name: "a", model: "mock/echo", fallbacks: ["b"]), by: .admin)
        let selfLoop = await gatewayError { try await gateway.endpoints.update("a", by: .admin) { $0.fallbacks = ["a"] } }
        #expect(selfLoop?.field == "fallbacks")
        let chain = await gatewayError { try await gateway.endpoints.update("c", by: .admin) { $0.fallbacks = ["a"] } }
        #expect(chain?.field == "fallbacks")
        #expect(chain?.message.contains("c → a → b → c") == true, "\(chain?.message ?? "")")
        let direct = await gatewayError { try await gateway.endpoints.update("b", by: .admin) { $0.fallbacks = ["a"] } }
        #expect(direct?.message.contains("cycle") == true)
    }

    @Test("edits bump the version and a stale version is a conflict")
    func optimisticEdits() async throws {
        let gateway = try await makeGateway()
        let created = try await gateway.endpoints.create(.init(name: "e", model: "mock/echo"), by: .admin)
        let edited = try await gateway.endpoints.update("e", expectedVersion: 1, by: .admin) { $0.temperature = 0.5 }
        #expect(edited.version == 2)
        #expect(edited.temperature == 0.5)
        #expect(edited.createdAt == created.createdAt)
        let stale = await gatewayError { try await gateway.endpoints.update("e", expectedVersion: 1, by: .admin) { $0.temperature = 1 } }
        #expect(stale?.code == .conflict)
        #expect(try gateway.endpoints.get("e", by: .admin).endpoint.temperature == 0.5)
        let rename = await gatewayError { try await gateway.endpoints.update("e", by: .admin) { $0.slug = "other" } }
        #expect(rename?.field == "slug")
    }

    @Test("deleting makes the slug fail at once; an endpoint others fall back to cannot be deleted")
    func deletion() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "backup", model: "mock/echo"), by: .admin)
        try await gateway.endpoints.create(.init(name: "main", model: "mock/echo", fallbacks: ["backup"]), by: .admin)
        let refused = await gatewayError { try await gateway.endpoints.delete("backup", by: .admin) }
        #expect(refused?.code == .conflict)
        #expect(refused?.message.contains("'main'") == true)
        _ = try await gateway.router.complete(slug: "main", request: .user("hi"), as: .admin)
        try await gateway.endpoints.delete("main", by: .admin)
        let gone = await gatewayError { _ = try await gateway.router.complete(slug: "main", request: .user("hi"), as: .admin) }
        #expect(gone?.code == .notFound)
        try await gateway.endpoints.delete("backup", by: .admin)
        #expect(gateway.endpoints.list(by: .admin).isEmpty)
    }

    @Test("writes need an admin or editor; reviewers and auditors are forbidden")
    func forbiddenWrites() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "e", model: "mock/echo"), by: Caller(role: .editor))
        for role in [Role.reviewer, .auditor] {
            let caller = Caller(role: role)
            #expect(await gatewayError { try await gateway.endpoints.create(.init(name: "f", model: "mock/echo"), by: caller) }?.code == .forbidden)
            #expect(await gatewayError { try await gateway.endpoints.update("e", by: caller) { $0.temperature = 1 } }?.code == .forbidden)
            #expect(await gatewayError { try await gateway.endpoints.delete("e", by: caller) }?.code == .forbidden)
        }
    }

    @Test("listing is sorted, filtered by role and shows provider, model, key, limit and fallback")
    func listing() async throws {
        let gateway = try await makeGateway()
        let key = try await gateway.keys.create(.init(name: "OpenAI prod", provider: .openai, secret: "sk-0123456789abcdef"), by: .admin)
        try await gateway.endpoints.create(.init(name: "zeta", model: "mock/echo"), by: .admin)
        try await gateway.endpoints.create(
            .init(name: "alpha", model: "openai/gpt-4o", apiKeyID: key.id, rateLimitRPM: 600, fallbacks: ["zeta"]),
            by: .admin
        )
        try await gateway.endpoints.create(.init(name: "admins only", model: "mock/echo", allowedRoles: [.admin]), by: .admin)
        let all = gateway.endpoints.list(by: .admin)
        #expect(all.map(\.slug) == ["admins-only", "alpha", "zeta"])
        let alpha = try #require(all.first { $0.slug == "alpha" })
        #expect(alpha.provider == .openai)
        #expect(alpha.model?.name == "gpt-4o")
        #expect(alpha.keyName == "OpenAI prod")
        #expect(alpha.rateLimitRPM == 600)
        #expect(alpha.hasFallback)
        #expect(alpha.isActive)
        #expect(alpha.activeGuardrails == 0)
        #expect(gateway.endpoints.list(by: Caller(role: .reviewer)).map(\.slug) == ["alpha", "zeta"])
        #expect(throws: GatewayError.self) { try gateway.endpoints.get("admins-only", by: Caller(role: .auditor)) }
    }
}
