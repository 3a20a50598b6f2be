import GatewayKit
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An in-memory store whose `load()` returns guardrail rules set by the test as they are, without
/// the manager's validation, so tests can seed rules a manager would refuse (an uncompilable one).
final class SeededGuardrailStore: ForwardingGatewayStore {
    let base = InMemoryGatewayStore()
    private let rules = Mutex<[GuardrailRule]>([])

    func setRules(_ rules: [GuardrailRule]) { self.rules.withLock { $0 = rules } }

    func load() async throws -> StoreContents {
        var contents = try await base.load()
        contents.guardrails = rules.withLock { $0 }
        return contents
    }

    func insertGuardrail(_ rule: GuardrailRule) async throws { rules.withLock { $0.append(rule) } }
    func updateGuardrail(_ rule: GuardrailRule, expectedVersion: Int) async throws {
        rules.withLock { rules in rules = rules.map { $0.id == rule.id ? rule : $0 } }
    }
    func deleteGuardrail(_ id: GuardrailRule.ID, expectedVersion: Int?) async throws {
        rules.withLock { rules in rules.removeAll { $0.id == id } }
    }
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
