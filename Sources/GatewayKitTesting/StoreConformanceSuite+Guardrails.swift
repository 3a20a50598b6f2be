import GatewayKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension StoreConformanceSuite.Check {
    /// Guardrail rules: round trips of every kind, versions, deletes and change reports.
    static var guardrails: [Self] {
        [
            Self("a guardrail rule of every kind round-trips every field") { store, fixtures in
                let rules = fixtures.guardrailsOfEveryKind()
                for rule in rules { try await store.insertGuardrail(rule) }
                for rule in rules {
                    try await requireStored(rule, in: store, "after inserting a \(rule.kind.name) rule")
                }
            },
            Self("inserting a taken guardrail rule id is a conflict") { store, fixtures in
                let original = fixtures.guardrail("taken")
                try await store.insertGuardrail(original)
                var duplicate = fixtures.guardrail("other")
                duplicate.id = original.id
                try await requireError(.conflict, "inserting guardrail rule '\(original.id)' twice") {
                    try await store.insertGuardrail(duplicate)
                }
                try await requireStored(original, in: store, "after a rejected duplicate insert")
            },
            Self("updating a guardrail rule checks its version") { store, fixtures in
                let original = fixtures.guardrail("versioned")
                try await store.insertGuardrail(original)
                var edited = original
                edited.name = "Edited rule"
                edited.kind = .regex(pattern: #"\bedited-\d+\b"#)
                edited.scope = .endpoints([fixtures.slug("only")])
                edited.active = false
                edited.version = original.version + 1
                edited.updatedAt = StoreConformanceSuite.Fixtures.updated
                try await store.updateGuardrail(edited, expectedVersion: original.version)
                try await requireStored(edited, in: store, "after an update with the stored version")
                var stale = original
                stale.name = "Edit of an old copy"
                stale.version = original.version + 1
                try await requireError(.conflict, "updating guardrail rule '\(original.id)' with a stale version") {
                    try await store.updateGuardrail(stale, expectedVersion: original.version)
                }
                try await requireStored(edited, in: store, "after a rejected stale update")
            },
            Self("a missing guardrail rule is notFound and a stale delete is a conflict") { store, fixtures in
                let missing = fixtures.guardrail("missing")
                try await requireError(.notFound, "updating a missing guardrail rule") {
                    try await store.updateGuardrail(missing, expectedVersion: 1)
                }
                try await requireError(.notFound, "deleting a missing guardrail rule") {
                    try await store.deleteGuardrail(missing.id, expectedVersion: nil)
                }
                let rule = fixtures.guardrail("deleted")
                try await store.insertGuardrail(rule)
                try await requireError(.conflict, "deleting guardrail rule '\(rule.id)' with a stale version") {
                    try await store.deleteGuardrail(rule.id, expectedVersion: rule.version + 1)
                }
                try await requireStored(rule, in: store, "after a rejected stale delete")
                try await store.deleteGuardrail(rule.id, expectedVersion: rule.version)
                let contents = try await store.load()
                try require(contents.guardrail(rule.id) == nil, "guardrail rule '\(rule.id)' is still stored")
                try await requireError(.notFound, "deleting guardrail rule '\(rule.id)' again") {
                    try await store.deleteGuardrail(rule.id, expectedVersion: nil)
                }
            },
            Self("changes() reports every guardrail rule write") { store, fixtures in
                let collector = ChangeCollector(store.changes())
                defer { collector.stop() }
                let rule = fixtures.guardrail("changes")
                var edited = rule
                edited.version += 1
                let change = StoreChange.guardrail(rule.id)
                try await store.insertGuardrail(rule)
                try await collector.awaitChange(covering: change, after: "insertGuardrail")
                try await store.updateGuardrail(edited, expectedVersion: rule.version)
                try await collector.awaitChange(covering: change, after: "updateGuardrail")
                try await store.deleteGuardrail(rule.id, expectedVersion: edited.version)
                try await collector.awaitChange(covering: change, after: "deleteGuardrail")
            },
        ]
    }
}

extension StoreConformanceSuite.Fixtures {
    func guardrailID(_ name: String) -> GuardrailRule.ID { GuardrailRule.ID(rawValue: "gr_\(name)_\(tag)") }

    func guardrail(_ name: String, kind: GuardrailRule.Kind = .secrets) -> GuardrailRule {
        GuardrailRule(
            id: guardrailID(name), name: "rule \(name)", kind: kind, stage: .input, action: .block,
            createdAt: Self.created, updatedAt: Self.created
        )
    }

    // One rule per kind, with settings that stress the encoding (quotes, unicode, backslashes,
    // nil limits) and every non-default field.
    func guardrailsOfEveryKind() -> [GuardrailRule] {
        let kinds: [GuardrailRule.Kind] = [
            .blockedTerms(["drop table", "ünïcode \"quoted\""]),
            .regex(pattern: #"(?i)\b[A-Z]{2}\d{2}\\s?\d+"#),
            .pii(types: [.email, .phone, .card, .iban, .ip]),
            .secrets,
            .maxInput(maxCharacters: 4_000, maxTokens: nil),
            .maxInput(maxCharacters: nil, maxTokens: 1_000),
            .llmJudge(endpoint: slug("judge"), policy: "No medical advice.\nLine two, 'quoted'."),
        ]
        return kinds.enumerated().map { index, kind in
            GuardrailRule(
                id: guardrailID("kind\(index)"), name: "Rule \(index) — \(kind.name)", kind: kind,
                stage: index.isMultiple(of: 2) ? .input : .output, action: index.isMultiple(of: 3) ? .redact : .block,
                scope: index.isMultiple(of: 2) ? .everyEndpoint : .endpoints([slug("a"), slug("b")]),
                order: index * 10 - 5, active: !index.isMultiple(of: 4), version: index + 1,
                createdAt: Self.created, updatedAt: Self.updated
            )
        }
    }
}

func matches(_ loaded: GuardrailRule, _ expected: GuardrailRule) -> Bool {
    guard datesMatch(loaded.createdAt, expected.createdAt), datesMatch(loaded.updatedAt, expected.updatedAt) else {
        return false
    }
    var normalized = loaded
    normalized.createdAt = expected.createdAt
    normalized.updatedAt = expected.updatedAt
    return normalized == expected
}

extension StoreContents {
    func guardrail(_ id: GuardrailRule.ID) -> GuardrailRule? { guardrails.first { $0.id == id } }
}

func requireStored(_ expected: GuardrailRule, in store: any GatewayStore, _ context: String) async throws {
    let loaded = try await store.load().guardrail(expected.id)
    guard let loaded else { throw Mismatch("\(context): guardrail rule '\(expected.id)' is missing after load") }
    try require(
        matches(loaded, expected),
        "\(context): loaded guardrail rule differs\n expected: \(expected)\n loaded:   \(loaded)")
}
