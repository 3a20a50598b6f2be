/// Creates, edits, deletes and lists a gateway's guardrail rules. Every change reaches the router
/// at once. Every role may read rules; only Admins and Editors may change them.
public struct GuardrailManager: Sendable {
    let writer: ConfigWriter
    let live: LiveConfiguration

    /// Creates a rule, checked against the current endpoints.
    /// - Parameters:
    ///   - draft: the rule's settings.
    ///   - caller: who asks; must be an Admin or an Editor.
    /// - Returns: the stored rule, with its id and version 1.
    /// - Throws: `GatewayError` `forbidden`; `invalidRequest` naming the field at fault;
    ///   `storageUnavailable`.
    @discardableResult
    public func create(_ draft: GuardrailRule.Draft, by caller: Caller) async throws -> GuardrailRule {
        try caller.require(.writeGuardrails)
        return try await writer.createGuardrail(draft)
    }

    /// Edits a rule: `edit` changes a draft holding its current settings.
    /// - Parameters:
    ///   - id: the rule.
    ///   - expectedVersion: the version the edit is based on; `nil` for the current one.
    ///   - caller: who asks; must be an Admin or an Editor.
    ///   - edit: changes the draft.
    /// - Returns: the stored rule, version bumped.
    /// - Throws: `GatewayError` `forbidden`; `notFound`; `conflict` when `expectedVersion` is stale;
    ///   `invalidRequest` naming the field at fault; `storageUnavailable`.
    @discardableResult
    public func update(
        _ id: GuardrailRule.ID, expectedVersion: Int? = nil, by caller: Caller,
        _ edit: (inout GuardrailRule.Draft) throws -> Void
    ) async throws -> GuardrailRule {
        try caller.require(.writeGuardrails)
        guard let current = live.current.guardrailRules[id] else {
            throw GatewayError.notFound("no guardrail rule '\(id)'")
        }
        var draft = GuardrailRule.Draft(current)
        try edit(&draft)
        return try await writer.updateGuardrail(id, draft: draft, expectedVersion: expectedVersion ?? current.version)
    }

    /// Deletes a rule; it stops applying from the next request on.
    /// - Parameters:
    ///   - id: the rule.
    ///   - expectedVersion: delete only if this is still the stored version.
    ///   - caller: who asks; must be an Admin or an Editor.
    /// - Throws: `GatewayError` `forbidden`; `notFound`; `conflict` when the version is stale;
    ///   `storageUnavailable`.
    public func delete(_ id: GuardrailRule.ID, expectedVersion: Int? = nil, by caller: Caller) async throws {
        try caller.require(.writeGuardrails)
        try await writer.deleteGuardrail(id, expectedVersion: expectedVersion)
    }

    /// One rule.
    /// - Parameters:
    ///   - id: the rule.
    ///   - caller: who asks; any role may read rules.
    /// - Returns: the rule.
    /// - Throws: `GatewayError` `forbidden` for a role without read access; `notFound`.
    public func get(_ id: GuardrailRule.ID, by caller: Caller) throws(GatewayError) -> GuardrailRule {
        try caller.require(.readGuardrails)
        guard let rule = live.current.guardrailRules[id] else { throw GatewayError.notFound("no guardrail rule '\(id)'") }
        return rule
    }

    /// Every rule, active or not, in the order they run: by ``GuardrailRule/order``, then name.
    /// - Parameter caller: who asks; any role may read rules.
    /// - Returns: the rules.
    /// - Throws: `GatewayError` `forbidden` for a role without read access.
    public func list(by caller: Caller) throws(GatewayError) -> [GuardrailRule] {
        try caller.require(.readGuardrails)
        return live.current.guardrailRules.values.sorted { lhs, rhs in
            (lhs.order, lhs.name, lhs.id.rawValue) < (rhs.order, rhs.name, rhs.id.rawValue)
        }
    }

    /// How many rules are active, in total and for each endpoint the caller's role may see that
    /// at least one active rule covers.
    /// - Parameter caller: who asks; any role may read rules.
    /// - Returns: the counts.
    /// - Throws: `GatewayError` `forbidden` for a role without read access.
    public func status(by caller: Caller) throws(GatewayError) -> GuardrailStatus {
        try caller.require(.readGuardrails)
        let snapshot = live.current
        var byEndpoint: [Endpoint.Slug: Int] = [:]
        for endpoint in snapshot.endpoints.values where endpoint.allows(caller.role) {
            let count = snapshot.activeGuardrailCount(for: endpoint.slug)
            if count > 0 { byEndpoint[endpoint.slug] = count }
        }
        return GuardrailStatus(active: snapshot.guardrails.activeCount, byEndpoint: byEndpoint)
    }
}

/// How many guardrail rules are active: in total, and for each endpoint.
public struct GuardrailStatus: Sendable, Hashable {
    /// Active rules in total; a rule covering several endpoints counts once.
    public var active: Int
    /// Active rules covering each endpoint that has any; a rule for every endpoint counts for each.
    public var byEndpoint: [Endpoint.Slug: Int]

    /// Creates a status.
    /// - Parameters:
    ///   - active: active rules in total.
    ///   - byEndpoint: active rules per endpoint.
    public init(active: Int, byEndpoint: [Endpoint.Slug: Int]) {
        self.active = active
        self.byEndpoint = byEndpoint
    }
}
