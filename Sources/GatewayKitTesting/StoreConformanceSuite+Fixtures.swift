import GatewayKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension StoreConformanceSuite {
    // Records for one check run, with ids unique to that run so checks can share a database.
    struct Fixtures: Sendable {
        let tag: String

        init() {
            var generator = SystemRandomNumberGenerator()
            tag = String(generator.next() as UInt64, radix: 16)
        }

        // A sub-millisecond fraction, so a backend that keeps less than millisecond precision fails.
        static let created = Date(timeIntervalSince1970: 1_750_000_000.123_456)
        static let updated = Date(timeIntervalSince1970: 1_750_000_123.456_789)

        func slug(_ name: String) -> Endpoint.Slug { Endpoint.Slug(rawValue: "\(name)-\(tag)") }
        func keyID(_ name: String) -> APIKey.ID { APIKey.ID(rawValue: "key_\(name)_\(tag)") }
        func tokenID(_ name: String) -> AccessToken.ID { AccessToken.ID(rawValue: "tok_\(name)_\(tag)") }

        // An endpoint with every optional field set and nothing left at its default.
        func fullEndpoint(_ name: String = "full") -> Endpoint {
            Endpoint(
                slug: slug(name), name: "Full \"endpoint\" — ünïcode ✓",
                targets: [
                    .init(model: ModelRef(provider: .openai, name: "gpt-4o"), apiKeyID: keyID("a"), weight: 0.25),
                    .init(
                        model: ModelRef(provider: .openrouter, name: "anthropic/claude-sonnet-4"), apiKeyID: keyID("b"),
                        weight: 0.75),
                    .init(model: ModelRef(provider: .ollama, name: "llama3.2"), apiKeyID: nil, weight: 1.5),
                ],
                maxTokens: 1_234, temperature: 0.7, systemPrompt: "Answer briefly.\nLine two, 'quoted'.",
                rateLimitRPM: 90, fallbacks: [slug("zeta"), slug("alpha"), slug("mid")],
                allowedRoles: [.editor, .auditor], isActive: false, timeoutMilliseconds: 12_345, version: 3,
                createdAt: Self.created, updatedAt: Self.updated
            )
        }

        // An endpoint with every optional field empty.
        func minimalEndpoint(_ name: String = "minimal") -> Endpoint {
            Endpoint(
                slug: slug(name), name: name,
                targets: [.init(model: ModelRef(provider: .mock, name: "echo"), apiKeyID: nil)],
                allowedRoles: [], createdAt: Self.created, updatedAt: Self.created
            )
        }

        func fullKey(_ name: String = "full") -> StoredAPIKey {
            let settings = APIKey.Settings(
                baseURL: "https://example.openai.azure.com/openai", apiVersion: "2024-10-21", region: "eu-west-1",
                project: "my-project", location: "europe-west4"
            )
            let key = APIKey(
                id: keyID(name), name: "Azure prod ✓", provider: .azure, settings: settings, masked: "sk-…abcd",
                version: 4, createdAt: Self.created, lastUsedAt: Self.updated
            )
            return StoredAPIKey(key: key, sealedSecret: "gk1:0badf00d:c2VhbGVkLXNlY3JldC1ieXRlcw==")
        }

        func minimalKey(_ name: String = "minimal") -> StoredAPIKey {
            let key = APIKey(
                id: keyID(name), name: name, provider: .openai, settings: .init(), masked: "…", version: 1,
                createdAt: Self.created
            )
            return StoredAPIKey(key: key, sealedSecret: "gk1:0badf00d:bWluaW1hbA==")
        }

        func token(_ name: String, role: Role = .reviewer) -> AccessToken {
            AccessToken(
                id: tokenID(name), name: "token \(name)", role: role, tokenHash: AccessToken.hash("gwk_\(name)_\(tag)"),
                prefix: "gwk_\(name.prefix(4))", createdAt: Self.created
            )
        }
    }
}

// Comparisons that accept any backend keeping dates to at least millisecond precision.
func datesMatch(_ lhs: Date, _ rhs: Date) -> Bool {
    abs(lhs.timeIntervalSince1970 - rhs.timeIntervalSince1970) < 0.001
}

func datesMatch(_ lhs: Date?, _ rhs: Date?) -> Bool {
    switch (lhs, rhs) {
    case (nil, nil): true
    case (let lhs?, let rhs?): datesMatch(lhs, rhs)
    default: false
    }
}

func matches(_ loaded: Endpoint, _ expected: Endpoint) -> Bool {
    guard datesMatch(loaded.createdAt, expected.createdAt), datesMatch(loaded.updatedAt, expected.updatedAt) else {
        return false
    }
    var normalized = loaded
    normalized.createdAt = expected.createdAt
    normalized.updatedAt = expected.updatedAt
    return normalized == expected
}

func matches(_ loaded: StoredAPIKey, _ expected: StoredAPIKey) -> Bool {
    guard datesMatch(loaded.key.createdAt, expected.key.createdAt),
        datesMatch(loaded.key.lastUsedAt, expected.key.lastUsedAt)
    else { return false }
    var normalized = loaded
    normalized.key.createdAt = expected.key.createdAt
    normalized.key.lastUsedAt = expected.key.lastUsedAt
    return normalized == expected
}

func matches(_ loaded: AccessToken, _ expected: AccessToken) -> Bool {
    guard datesMatch(loaded.createdAt, expected.createdAt) else { return false }
    var normalized = loaded
    normalized.createdAt = expected.createdAt
    return normalized == expected
}

extension StoreContents {
    func endpoint(_ slug: Endpoint.Slug) -> Endpoint? { endpoints.first { $0.slug == slug } }
    func apiKey(_ id: APIKey.ID) -> StoredAPIKey? { apiKeys.first { $0.key.id == id } }
    func accessToken(_ id: AccessToken.ID) -> AccessToken? { accessTokens.first { $0.id == id } }
}

// Loads one record and requires it to match `expected`.
func requireStored(_ expected: Endpoint, in store: any GatewayStore, _ context: String) async throws {
    let loaded = try await store.load().endpoint(expected.slug)
    guard let loaded else { throw Mismatch("\(context): endpoint '\(expected.slug)' is missing after load") }
    try require(
        matches(loaded, expected), "\(context): loaded endpoint differs\n expected: \(expected)\n loaded:   \(loaded)")
}

func requireStored(_ expected: StoredAPIKey, in store: any GatewayStore, _ context: String) async throws {
    let loaded = try await store.load().apiKey(expected.key.id)
    guard let loaded else { throw Mismatch("\(context): API key '\(expected.key.id)' is missing after load") }
    try require(
        matches(loaded, expected), "\(context): loaded API key differs\n expected: \(expected)\n loaded:   \(loaded)")
}

func requireStored(_ expected: AccessToken, in store: any GatewayStore, _ context: String) async throws {
    let loaded = try await store.load().accessToken(expected.id)
    guard let loaded else { throw Mismatch("\(context): access token '\(expected.id)' is missing after load") }
    try require(
        matches(loaded, expected),
        "\(context): loaded access token differs\n expected: \(expected)\n loaded:   \(loaded)")
}
