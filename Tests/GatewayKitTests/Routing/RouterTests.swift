import HTTPTypes
import GatewayKit
import GatewayKitTesting
import Testing

@Suite struct RouterTests {
    @Test("answers through the mock provider and names what served it")
    func complete() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "echo", model: "mock/echo"), by: .admin)
        let reply = try await gateway.router.complete(slug: "echo", request: .user("Hello there"), as: .admin)
        #expect(reply.text == "Hello there")
        let served = try #require(reply.servedBy)
        #expect(served.endpoint == "echo")
        #expect(served.model.description == "mock/echo")
        #expect(!served.usedFallback)
        #expect(served.attempts.count == 1)
        #expect(reply.usage != nil)
    }

    @Test("falls back along a chain of three on retryable failures, with the trail", arguments: [500, 429, 401, 503])
    func chainOfThree(status: Int) async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "third", model: "mock/fixed:from third"), by: .admin)
        try await gateway.endpoints.create(.init(name: "second", model: "mock/error:\(status)", fallbacks: ["third"]), by: .admin)
        try await gateway.endpoints.create(.init(name: "first", model: "mock/error:\(status)", fallbacks: ["second"]), by: .admin)
        let reply = try await gateway.router.complete(slug: "first", request: .user("hi"), as: .admin)
        #expect(reply.text == "from third")
        let served = try #require(reply.servedBy)
        #expect(served.endpoint == "third")
        #expect(served.usedFallback)
        #expect(served.attempts.map(\.endpoint) == ["first", "second", "third"])
        #expect(served.attempts.last?.outcome == .success)
        if case .failure(_, _, let upstream) = served.attempts[0].outcome { #expect(upstream == status) }
    }

    @Test("never falls back on the caller's own fault")
    func noFallbackOnBadRequest() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "backup", model: "mock/echo"), by: .admin)
        try await gateway.endpoints.create(.init(name: "main", model: "mock/error:400", fallbacks: ["backup"]), by: .admin)
        let error = await gatewayError { _ = try await gateway.router.complete(slug: "main", request: .user("hi"), as: .admin) }
        #expect(error?.code == .upstreamRejected)
        #expect(error?.httpStatus.code == 400)
        #expect(error?.attempts.map(\.endpoint) == ["main"])
    }

    @Test("when every attempt fails, the error carries the trail and the decisive failure's status")
    func allFail() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "b", model: "mock/error:503"), by: .admin)
        try await gateway.endpoints.create(.init(name: "a", model: "mock/error:500", fallbacks: ["b"]), by: .admin)
        let error = await gatewayError { _ = try await gateway.router.complete(slug: "a", request: .user("hi"), as: .admin) }
        #expect(error?.code == .upstream)
        #expect(error?.upstreamStatus == 503)
        #expect(error?.attempts.map(\.endpoint) == ["a", "b"])
        #expect(error?.httpStatus.code == 502)
    }

    @Test("a missing, inactive or hidden endpoint is notFound alike")
    func notFound() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "off", model: "mock/echo", isActive: false), by: .admin)
        try await gateway.endpoints.create(.init(name: "admins", model: "mock/echo", allowedRoles: [.admin]), by: .admin)
        for (slug, role) in [("missing", Role.admin), ("off", .admin), ("admins", .reviewer)] {
            let error = await gatewayError { _ = try await gateway.router.complete(slug: .init(rawValue: slug), request: .user("hi"), as: Caller(role: role)) }
            #expect(error?.code == .notFound)
            #expect(error?.message == "no endpoint '\(slug)'")
        }
    }

    @Test("a fallback the caller may not use is skipped")
    func hiddenFallbackSkipped() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "open", model: "mock/fixed:open"), by: .admin)
        try await gateway.endpoints.create(.init(name: "secret", model: "mock/fixed:secret", allowedRoles: [.admin]), by: .admin)
        try await gateway.endpoints.create(.init(name: "main", model: "mock/error:500", fallbacks: ["secret", "open"]), by: .admin)
        let reply = try await gateway.router.complete(slug: "main", request: .user("hi"), as: Caller(role: .editor))
        #expect(reply.text == "open")
        #expect(reply.servedBy?.attempts.map(\.endpoint) == ["main", "secret", "open"])
    }

    @Test("the endpoint's limit denies with retryAfter; the window slides with the clock")
    func rateLimit() async throws {
        let clock = ManualClock()
        let gateway = try await makeGateway(clock: clock)
        try await gateway.endpoints.create(.init(name: "limited", model: "mock/echo", rateLimitRPM: 2), by: .admin)
        _ = try await gateway.router.complete(slug: "limited", request: .user("1"), as: .admin)
        clock.advance(by: .seconds(10))
        _ = try await gateway.router.complete(slug: "limited", request: .user("2"), as: .admin)
        let denied = await gatewayError { _ = try await gateway.router.complete(slug: "limited", request: .user("3"), as: .admin) }
        #expect(denied?.code == .rateLimited)
        #expect(denied?.httpStatus.code == 429)
        #expect(denied?.retryAfter == .seconds(50))
        #expect(denied?.rateLimit?.limit == 2)
        clock.advance(by: .seconds(50))
        _ = try await gateway.router.complete(slug: "limited", request: .user("4"), as: .admin)
    }

    @Test("a rate-limited primary does not fall back; a rate-limited fallback is passed over")
    func rateLimitAndFallback() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(.init(name: "last", model: "mock/fixed:last"), by: .admin)
        try await gateway.endpoints.create(.init(name: "tight", model: "mock/fixed:tight", rateLimitRPM: 1, fallbacks: ["last"]), by: .admin)
        try await gateway.endpoints.create(.init(name: "main", model: "mock/error:500", fallbacks: ["tight"]), by: .admin)
        #expect(try await gateway.router.complete(slug: "main", request: .user("a"), as: .admin).text == "tight")
        #expect(try await gateway.router.complete(slug: "main", request: .user("b"), as: .admin).text == "last")
        #expect(await gatewayError { _ = try await gateway.router.complete(slug: "tight", request: .user("c"), as: .admin) }?.code == .rateLimited)
    }

    @Test("endpoint defaults: system prompt first, temperature when absent, max tokens as default and cap")
    func defaults() async throws {
        let recorder = RecordingProvider()
        var providers = ProviderRegistry.standard
        providers.register(recorder, for: "recorder")
        let gateway = try await Gateway(store: InMemoryGatewayStore(), masterKey: testMasterKey, configuration: .init(providers: providers))
        try await gateway.endpoints.create(
            .init(name: "d", model: "recorder/model-x", maxTokens: 100, temperature: 0.3, systemPrompt: "Be brief."),
            by: .admin
        )
        _ = try await gateway.router.complete(slug: "d", request: .user("hi"), as: .admin)
        var request = ChatRequest.user("again")
        request.maxTokens = 500
        request.temperature = 1.5
        _ = try await gateway.router.complete(slug: "d", request: request, as: .admin)
        request.maxTokens = 20
        _ = try await gateway.router.complete(slug: "d", request: request, as: .admin)
        let seen = recorder.requests
        #expect(seen.count == 3)
        #expect(seen[0].messages.first == .system("Be brief."))
        #expect(seen[0].messages.count == 2)
        #expect(seen[0].temperature == 0.3)
        #expect(seen[0].maxTokens == 100)
        #expect(seen[1].temperature == 1.5)
        #expect(seen[1].maxTokens == 100, "a larger request is capped")
        #expect(seen[2].maxTokens == 20, "a smaller request is kept")
    }

    @Test("traffic split sends each target its share")
    func split() async throws {
        let gateway = try await makeGateway()
        try await gateway.endpoints.create(
            .init(name: "split", targets: [.init(model: "mock/fixed:a", weight: 3), .init(model: "mock/fixed:b", weight: 1)]),
            by: .admin
        )
        var counts: [String: Int] = [:]
        for _ in 0..<2_000 {
            counts[try await gateway.router.complete(slug: "split", request: .user("x"), as: .admin).text, default: 0] += 1
        }
        let shareA = Double(counts["a", default: 0]) / 2_000
        #expect(abs(shareA - 0.75) < 0.05, "a got \(shareA)")
    }
}
