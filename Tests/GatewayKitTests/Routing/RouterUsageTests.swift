import GatewayKit
import GatewayKitTesting
import NIOCore
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One usage record per request, written by the router through the buffer into a store.
@Suite struct RouterUsageTests {
    struct Fixture {
        let gateway: Gateway
        let store: InMemoryUsageStore
        let primary: LocalUpstream
        let backup: LocalUpstream

        static func make(providers: ProviderRegistry = .standard) async throws -> Fixture {
            let store = InMemoryUsageStore()
            let primary = try await LocalUpstream.start()
            let backup = try await LocalUpstream.start()
            let gateway = try await Gateway(
                store: InMemoryGatewayStore(), masterKey: testMasterKey,
                configuration: .init(providers: providers, usage: .init(sink: store))
            )
            let key = try await gateway.keys.create(
                .init(
                    name: "primary", provider: .openai, secret: "sk-primary-0123456789",
                    settings: .init(baseURL: primary.baseURL)),
                by: .admin
            )
            let backupKey = try await gateway.keys.create(
                .init(
                    name: "backup", provider: .openai, secret: "sk-backup-0123456789",
                    settings: .init(baseURL: backup.baseURL)),
                by: .admin
            )
            try await gateway.endpoints.create(
                .init(name: "backup", model: "openai/gpt-4o-mini", apiKeyID: backupKey.id), by: .admin)
            try await gateway.endpoints.create(
                .init(name: "main", model: "openai/gpt-4o", apiKeyID: key.id, fallbacks: ["backup"]), by: .admin
            )
            return Fixture(gateway: gateway, store: store, primary: primary, backup: backup)
        }

        /// Writes the buffer and returns every record kept.
        func records() async -> [UsageRecord] {
            await gateway.usage.flush()
            return store.records
        }

        func shutdown() async throws {
            try await primary.shutdown()
            try await backup.shutdown()
        }
    }

    static let caller = Caller(role: .editor, tokenID: "tok_usage_test")

    @Test("a success records tokens, cost from the catalog's gpt-4o prices, the caller's token id and role")
    func success() async throws {
        let fixture = try await Fixture.make()
        fixture.primary.setBehaviour(.reply(text: "one two three"))
        _ = try await fixture.gateway.router.complete(slug: "main", request: .user("hi"), as: Self.caller)
        let records = await fixture.records()
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.endpoint == "main" && record.servedBy == "main")
        #expect(record.model == ModelRef(provider: .openai, name: "gpt-4o") && record.provider == .openai)
        #expect(record.tokenID == "tok_usage_test" && record.role == .editor)
        #expect(record.promptTokens == 12 && record.completionTokens == 3)
        // 12 × $2.50 + 3 × $10 per million tokens.
        #expect(record.costUSD == Decimal(string: "0.00006"))
        let catalogCost = try #require(
            ModelCatalog.builtIn.cost(of: Usage(promptTokens: 12, completionTokens: 3), for: record.model!))
        #expect(abs(catalogCost.usd - 0.00006) < 1e-15)
        #expect(!record.unpriced && !record.usedFallback && !record.stream)
        #expect(record.status == .ok)
        #expect(record.latency > .zero && record.overhead >= .zero && record.overhead <= record.latency)
        try await fixture.shutdown()
    }

    @Test("a fallback records the endpoint asked for, the one that served, and the fallback's price")
    func fallback() async throws {
        let fixture = try await Fixture.make()
        fixture.primary.setBehaviour(.openAIError(500, message: "boom", type: "server_error"))
        fixture.backup.setBehaviour(.reply(text: "from backup"))
        _ = try await fixture.gateway.router.complete(slug: "main", request: .user("hi"), as: Self.caller)
        let record = try #require(await fixture.records().first)
        #expect(record.endpoint == "main" && record.servedBy == "backup")
        #expect(record.model == ModelRef(provider: .openai, name: "gpt-4o-mini"))
        #expect(record.usedFallback && record.status == .ok)
        // 12 × $0.15 + 2 × $0.60 per million tokens.
        #expect(record.costUSD == Decimal(string: "0.000003"))
        try await fixture.shutdown()
    }

    @Test("a failure records its error code, the model tried, and no cost")
    func failure() async throws {
        let fixture = try await Fixture.make()
        fixture.primary.setBehaviour(.openAIError(400, message: "bad request"))
        let error = await gatewayError {
            _ = try await fixture.gateway.router.complete(slug: "main", request: .user("hi"), as: Self.caller)
        }
        let records = await fixture.records()
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.status == UsageRecord.Status(try #require(error).code))
        #expect(record.status.isError)
        #expect(record.servedBy == "main" && record.model == ModelRef(provider: .openai, name: "gpt-4o"))
        #expect(record.promptTokens == 0 && record.costUSD == 0 && !record.unpriced)
        try await fixture.shutdown()
    }

    @Test("a stream records the usage of the provider's final usage chunk")
    func stream() async throws {
        let fixture = try await Fixture.make()
        fixture.primary.setBehaviour(.stream(chunks: ["a ", "b ", "c"]))
        for try await _ in fixture.gateway.router.stream(slug: "main", request: .user("hi"), as: Self.caller) {}
        let records = await fixture.records()
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.stream && record.status == .ok)
        #expect(record.promptTokens == 12 && record.completionTokens == 3)
        #expect(record.costUSD == Decimal(string: "0.00006"))
        #expect(
            fixture.primary.requests.first.map { String(buffer: $0.body) }?.contains(#""include_usage":true"#) == true)
        try await fixture.shutdown()
    }

    @Test("a stream the caller stops reading is recorded once, as cancelled")
    func abandonedStream() async throws {
        let fixture = try await Fixture.make()
        fixture.primary.setBehaviour(.stream(chunks: ["a ", "b ", "c"]))
        do {
            var iterator = fixture.gateway.router.stream(slug: "main", request: .user("hi"), as: Self.caller)
                .makeAsyncIterator()
            _ = try await iterator.next()
        }
        let records = await fixture.records()
        #expect(records.count == 1)
        #expect(records.first?.status == .cancelled && records.first?.stream == true)
        try await fixture.shutdown()
    }

    @Test("a stream that breaks after its first chunk records the error")
    func brokenStream() async throws {
        let fixture = try await Fixture.make()
        fixture.primary.setBehaviour(.streamThenDrop(chunks: 1))
        let error = await gatewayError {
            for try await _ in fixture.gateway.router.stream(slug: "main", request: .user("hi"), as: Self.caller) {}
        }
        let records = await fixture.records()
        #expect(records.count == 1)
        #expect(records.first?.status == UsageRecord.Status(try #require(error).code))
        #expect(records.first?.stream == true && records.first?.servedBy == "main")
        try await fixture.shutdown()
    }

    @Test("a model without a catalog price is recorded unpriced at zero cost")
    func unpriced() async throws {
        let fixture = try await Fixture.make()
        try await fixture.gateway.endpoints.create(.init(name: "echo", model: "mock/echo"), by: .admin)
        _ = try await fixture.gateway.router.complete(slug: "echo", request: .user("one two"), as: Self.caller)
        let record = try #require(await fixture.records().first)
        #expect(record.unpriced && record.costUSD == 0)
        #expect(record.promptTokens > 0 && record.completionTokens > 0)
        try await fixture.shutdown()
    }

    @Test("a request a guardrail blocks is recorded with status guardrail_blocked")
    func blocked() async throws {
        var providers = ProviderRegistry.standard
        providers.register(BlockingProvider(), for: "blocker")
        let fixture = try await Fixture.make(providers: providers)
        try await fixture.gateway.endpoints.create(.init(name: "guarded", model: "blocker/any"), by: .admin)
        let error = await gatewayError {
            _ = try await fixture.gateway.router.complete(slug: "guarded", request: .user("x"), as: Self.caller)
        }
        #expect(error?.code == .guardrailBlocked)
        let record = try #require(await fixture.records().first)
        #expect(record.status == UsageRecord.Status(.guardrailBlocked) && record.status.rawValue == "guardrail_blocked")
        try await fixture.shutdown()
    }

    @Test("an answer an output rule blocks keeps the provider's tokens and cost; an input block costs nothing")
    func guardrailBlocks() async throws {
        let fixture = try await Fixture.make()
        try await fixture.gateway.guardrails.create(
            .init(name: "no threes", kind: .blockedTerms(["three"]), stage: .output, action: .block, scope: .endpoints(["main"])),
            by: .admin
        )
        try await fixture.gateway.guardrails.create(
            .init(name: "no secrets in", kind: .secrets, stage: .input, action: .block, scope: .endpoints(["main"])),
            by: .admin
        )
        fixture.primary.setBehaviour(.reply(text: "one two three"))
        let output = await gatewayError {
            _ = try await fixture.gateway.router.complete(slug: "main", request: .user("hi"), as: Self.caller)
        }
        #expect(output?.code == .guardrailBlocked && output?.message.contains("no threes") == true)
        let input = await gatewayError {
            _ = try await fixture.gateway.router.complete(
                slug: "main", request: .user("my key is AKIAIOSFODNN7EXAMPLE"), as: Self.caller)
        }
        #expect(input?.code == .guardrailBlocked)
        let records = await fixture.records()
        #expect(records.count == 2)
        let answered = try #require(records.first)
        #expect(answered.status == UsageRecord.Status(.guardrailBlocked) && answered.servedBy == "main")
        #expect(answered.promptTokens == 12 && answered.completionTokens == 3)
        #expect(answered.costUSD == Decimal(string: "0.00006") && !answered.usedFallback)
        let refused = try #require(records.last)
        #expect(refused.status == UsageRecord.Status(.guardrailBlocked))
        #expect(refused.promptTokens == 0 && refused.costUSD == 0)
        // The blocked input never reached the provider, and the blocked answer was not retried elsewhere.
        #expect(fixture.primary.requests.count == 1 && fixture.backup.requests.isEmpty)
        try await fixture.shutdown()
    }

    @Test("a gateway without a usage sink records nothing and cannot be asked for usage")
    func noSink() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "echo", model: "mock/echo"), by: .admin)
        _ = try await gateway.router.complete(slug: "echo", request: .user("hi"), as: .admin)
        #expect(!gateway.usage.isReadable)
        let error = await gatewayError { _ = try await gateway.usage.summary(.init(), by: .admin) }
        #expect(error?.code == .notFound)
    }
}

/// An in-process provider that stands in for a guardrail: it refuses every request.
struct BlockingProvider: InProcessProvider {
    func complete(_ request: ChatRequest, for call: ProviderCall) async throws -> ChatResponse {
        throw GatewayError(.guardrailBlocked, "blocked by rule 'no-secrets'")
    }

    func stream(_ request: ChatRequest, for call: ProviderCall) async throws -> any AsyncSequence<ChatChunk, any Error>
        & Sendable
    {
        throw GatewayError(.guardrailBlocked, "blocked by rule 'no-secrets'")
    }
}
