#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension GuardrailRule {
    /// What a caller gives to create or edit a guardrail rule. Every field is checked by the
    /// gateway, and each error names its field.
    public struct Draft: Sendable, Hashable {
        /// The display name; not empty.
        public var name: String
        /// What the rule looks for, with its settings.
        public var kind: Kind
        /// When it runs.
        public var stage: Stage
        /// What it does on a match; `redact` only for kinds that find text to replace.
        public var action: Action
        /// Which endpoints it covers; listed slugs must exist.
        public var scope: Scope
        /// Its place among the rules; lower runs first.
        public var order: Int
        /// Whether it runs and counts.
        public var active: Bool

        /// Creates a draft.
        /// - Parameters:
        ///   - name: the display name.
        ///   - kind: what the rule looks for.
        ///   - stage: when it runs.
        ///   - action: what it does on a match.
        ///   - scope: which endpoints it covers; every endpoint by default.
        ///   - order: its place among the rules.
        ///   - active: whether it runs.
        public init(
            name: String, kind: Kind, stage: Stage, action: Action, scope: Scope = .everyEndpoint, order: Int = 0,
            active: Bool = true
        ) {
            self.name = name
            self.kind = kind
            self.stage = stage
            self.action = action
            self.scope = scope
            self.order = order
            self.active = active
        }

        /// A draft holding an existing rule's settings, to edit.
        /// - Parameter rule: the rule.
        public init(_ rule: GuardrailRule) {
            self.init(
                name: rule.name, kind: rule.kind, stage: rule.stage, action: rule.action, scope: rule.scope,
                order: rule.order, active: rule.active
            )
        }
    }

    init(_ draft: Draft, id: ID, version: Int, createdAt: Date, updatedAt: Date) {
        self.init(
            id: id, name: draft.name.trimmingWhitespace(), kind: draft.kind, stage: draft.stage, action: draft.action,
            scope: draft.scope, order: draft.order, active: draft.active, version: version, createdAt: createdAt,
            updatedAt: updatedAt
        )
    }
}
