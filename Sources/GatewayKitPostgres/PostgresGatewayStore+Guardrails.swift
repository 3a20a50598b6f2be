public import GatewayKit
import PostgresNIO

extension PostgresGatewayStore {
    /// Adds a guardrail rule and notifies every instance, in one transaction.
    /// - Parameter rule: the rule.
    /// - Throws: `GatewayError` `conflict` when the id is taken; `storageUnavailable`.
    public func insertGuardrail(_ rule: GuardrailRule) async throws {
        let body = try StoredJSON.encode(rule, what: "guardrail rule")
        let id = rule.id
        let logger = self.logger
        try await transaction("inserting guardrail rule '\(id)'", notifying: .guardrail(id)) { connection in
            let inserted = try await Self.changedRow(
                connection,
                """
                INSERT INTO gatewaykit_guardrails (id, version, body)
                VALUES (\(id.rawValue), \(rule.version), \(body)::jsonb)
                ON CONFLICT DO NOTHING RETURNING 1
                """,
                logger: logger)
            guard inserted else { throw GatewayError(.conflict, "a guardrail rule with id '\(id)' already exists") }
        }
    }

    /// Replaces a guardrail rule whose stored version is `expectedVersion`, and notifies every instance.
    /// - Parameters:
    ///   - rule: the new rule; its `version` is the one stored.
    ///   - expectedVersion: the version the edit was based on.
    /// - Throws: `GatewayError` `conflict` when the stored version differs; `notFound` when
    ///   missing; `storageUnavailable`.
    public func updateGuardrail(_ rule: GuardrailRule, expectedVersion: Int) async throws {
        let body = try StoredJSON.encode(rule, what: "guardrail rule")
        let id = rule.id
        let logger = self.logger
        try await transaction("updating guardrail rule '\(id)'", notifying: .guardrail(id)) { connection in
            let updated = try await Self.changedRow(
                connection,
                """
                UPDATE gatewaykit_guardrails SET version = \(rule.version), body = \(body)::jsonb
                WHERE id = \(id.rawValue) AND version = \(expectedVersion) RETURNING 1
                """,
                logger: logger)
            guard updated else {
                throw try await Self.missingOrStale(
                    connection, "SELECT version FROM gatewaykit_guardrails WHERE id = \(id.rawValue)",
                    what: "guardrail rule '\(id)'", expectedVersion: expectedVersion, logger: logger)
            }
        }
    }

    /// Deletes a guardrail rule, only at `expectedVersion` when one is given, and notifies every instance.
    /// - Parameters:
    ///   - id: the rule.
    ///   - expectedVersion: the version it must still have, or `nil` for any.
    /// - Throws: `GatewayError` `notFound` when missing; `conflict` on a version mismatch;
    ///   `storageUnavailable`.
    public func deleteGuardrail(_ id: GuardrailRule.ID, expectedVersion: Int?) async throws {
        let logger = self.logger
        try await transaction("deleting guardrail rule '\(id)'", notifying: .guardrail(id)) { connection in
            let query: PostgresQuery =
                if let expectedVersion {
                    """
                    DELETE FROM gatewaykit_guardrails WHERE id = \(id.rawValue) AND version = \(expectedVersion)
                    RETURNING 1
                    """
                } else {
                    "DELETE FROM gatewaykit_guardrails WHERE id = \(id.rawValue) RETURNING 1"
                }
            guard try await Self.changedRow(connection, query, logger: logger) else {
                throw try await Self.missingOrStale(
                    connection, "SELECT version FROM gatewaykit_guardrails WHERE id = \(id.rawValue)",
                    what: "guardrail rule '\(id)'", expectedVersion: expectedVersion, logger: logger)
            }
        }
    }
}
