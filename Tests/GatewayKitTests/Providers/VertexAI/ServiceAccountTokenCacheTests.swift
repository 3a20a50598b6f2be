import GatewayKit
import GatewayKitTesting
import Testing

/// Access-token caching and single-flight refresh, observed as hits on a local token endpoint.
@Suite struct ServiceAccountTokenCacheTests {
    @Test("keeps a token until a minute before it expires, then fetches a new one")
    func cachesUntilShortlyBeforeExpiry() async throws {
        let server = try await VertexFixtures.tokenServer(expiresIn: 3600)
        defer { Task { try? await server.shutdown() } }
        let clock = ManualClock()
        let adapter = VertexAIAdapter(clock: clock)
        let call = VertexFixtures.call(secret: VertexFixtures.serviceAccount(tokenURI: server.baseURL + "/token"))
        let transport = HTTPClientTransport()

        #expect(try await adapter.authorize(call, transport: transport).accessToken?.reveal() == "ya29.token-1")
        #expect(try await adapter.authorize(call, transport: transport).accessToken?.reveal() == "ya29.token-1")
        clock.advance(by: .seconds(3600 - 61))
        #expect(try await adapter.authorize(call, transport: transport).accessToken?.reveal() == "ya29.token-1")
        #expect(server.hits("/token") == 1)
        clock.advance(by: .seconds(1))
        #expect(try await adapter.authorize(call, transport: transport).accessToken?.reveal() == "ya29.token-2")
        #expect(try await adapter.authorize(call, transport: transport).accessToken?.reveal() == "ya29.token-2")
        #expect(server.hits("/token") == 2)
    }

    @Test("fifty callers needing a token at the same moment share one exchange")
    func singleFlight() async throws {
        let server = try await VertexFixtures.tokenServer(delay: .milliseconds(300))
        defer { Task { try? await server.shutdown() } }
        let adapter = VertexAIAdapter(clock: ManualClock())
        let call = VertexFixtures.call(secret: VertexFixtures.serviceAccount(tokenURI: server.baseURL + "/token"))
        let transport = HTTPClientTransport()
        let tokens = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<50 {
                group.addTask { try await adapter.authorize(call, transport: transport).accessToken?.reveal() }
            }
            var tokens: [String?] = []
            for try await token in group { tokens.append(token) }
            return tokens
        }
        #expect(tokens.count == 50)
        #expect(Set(tokens) == ["ya29.token-1"])
        #expect(server.hits("/token") == 1)
    }

    @Test("a failed exchange is not cached: the next call tries again")
    func failureNotCached() async throws {
        let server = try await VertexFixtures.tokenServer(token: { n, _ in
            n == 1
                ? .json(
                    #"{"error":"invalid_grant","error_description":"Invalid JWT: Token must be a short-lived token"}"#,
                    status: 400) : nil
        })
        defer { Task { try? await server.shutdown() } }
        let adapter = VertexAIAdapter(clock: ManualClock())
        let call = VertexFixtures.call(secret: VertexFixtures.serviceAccount(tokenURI: server.baseURL + "/token"))
        let error = await gatewayError { _ = try await adapter.authorize(call, transport: HTTPClientTransport()) }
        #expect(error?.code == .upstreamAuthFailed)
        #expect(error?.message.contains("invalid_grant") == true)
        #expect(
            try await adapter.authorize(call, transport: HTTPClientTransport()).accessToken?.reveal() == "ya29.token-2")
        #expect(server.hits("/token") == 2)
    }

    @Test("each service account has its own token")
    func perAccount() async throws {
        let server = try await VertexFixtures.tokenServer()
        defer { Task { try? await server.shutdown() } }
        let adapter = VertexAIAdapter(clock: ManualClock())
        let uri = server.baseURL + "/token"
        let first = VertexFixtures.call(secret: VertexFixtures.serviceAccount(tokenURI: uri))
        let second = VertexFixtures.call(
            secret: VertexFixtures.serviceAccount(
                tokenURI: uri, clientEmail: "other@test-project.iam.gserviceaccount.com"))
        #expect(
            try await adapter.authorize(first, transport: HTTPClientTransport()).accessToken?.reveal() == "ya29.token-1"
        )
        #expect(
            try await adapter.authorize(second, transport: HTTPClientTransport()).accessToken?.reveal()
                == "ya29.token-2")
        #expect(
            try await adapter.authorize(first, transport: HTTPClientTransport()).accessToken?.reveal() == "ya29.token-1"
        )
        #expect(server.hits("/token") == 2)
    }
}
