import GatewayKit
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An in-memory store whose `load()` returns guardrail rules set by the test as they are, without
/// the manager's validation, so tests can seed rules a manager would refuse (an uncompilable one).
final class SeededGuardrailStore: GatewayStore {
    let base = InMemoryGatewayStore()
    private let rules = Mutex<[GuardrailRule]>([])

    func setRules(_ rules: [GuardrailRule]) { self.rules.withLock { $0 = rules } }

    func load() async throws -> StoreContents {
        var contents = try await base.load()
        contents.guardrails = rules.withLock { $0 }
        return contents
    }

    func insertEndpoint(_ endpoint: Endpoint) async throws { try await base.insertEndpoint(endpoint) }
    func updateEndpoint(_ endpoint: Endpoint, expectedVersion: Int) async throws {
        try await base.updateEndpoint(endpoint, expectedVersion: expectedVersion)
    }
    func deleteEndpoint(_ slug: Endpoint.Slug, expectedVersion: Int?) async throws {
        try await base.deleteEndpoint(slug, expectedVersion: expectedVersion)
    }
    func insertAPIKey(_ key: StoredAPIKey) async throws { try await base.insertAPIKey(key) }
    func updateAPIKey(_ key: StoredAPIKey, expectedVersion: Int) async throws {
        try await base.updateAPIKey(key, expectedVersion: expectedVersion)
    }
    func deleteAPIKey(_ id: APIKey.ID) async throws { try await base.deleteAPIKey(id) }
    func recordAPIKeyUse(_ uses: [APIKey.ID: Date]) async throws { try await base.recordAPIKeyUse(uses) }
    func insertAccessToken(_ token: AccessToken) async throws { try await base.insertAccessToken(token) }
    func deleteAccessToken(_ id: AccessToken.ID) async throws { try await base.deleteAccessToken(id) }
    func insertGuardrail(_ rule: GuardrailRule) async throws { rules.withLock { $0.append(rule) } }
    func updateGuardrail(_ rule: GuardrailRule, expectedVersion: Int) async throws {
        rules.withLock { rules in rules = rules.map { $0.id == rule.id ? rule : $0 } }
    }
    func deleteGuardrail(_ id: GuardrailRule.ID, expectedVersion: Int?) async throws {
        rules.withLock { rules in rules.removeAll { $0.id == id } }
    }
    func changes() -> AsyncStream<StoreChange> { base.changes() }
}

extension GuardrailRule {
    /// A rule for tests, with fixed timestamps.
    static func test(
        _ name: String, _ kind: Kind, stage: Stage = .input, action: Action = .block, scope: Scope = .everyEndpoint,
        order: Int = 0, active: Bool = true
    ) -> GuardrailRule {
        GuardrailRule(
            id: .init(rawValue: "gr_\(name)"), name: name, kind: kind, stage: stage, action: action, scope: scope,
            order: order, active: active, createdAt: Date(timeIntervalSince1970: 0),
            updatedAt: Date(timeIntervalSince1970: 0)
        )
    }
}
