import GRDB
public import GatewayKit

extension SQLiteGatewayStore {
    /// Adds a guardrail rule.
    /// - Parameter rule: the rule.
    /// - Throws: `GatewayError` `conflict` when the id is taken; `storageUnavailable`.
    public func insertGuardrail(_ rule: GuardrailRule) async throws {
        let body = try StoredJSON.encode(rule, what: "guardrail rule")
        let id = rule.id
        try await write("inserting guardrail rule '\(id)'", reporting: .guardrail(id)) { db in
            guard try !Self.exists(db, "SELECT 1 FROM guardrails WHERE id = ?", id.rawValue) else {
                throw GatewayError(.conflict, "a guardrail rule with id '\(id)' already exists")
            }
            try db.execute(
                sql: "INSERT INTO guardrails (id, version, body) VALUES (?, ?, ?)",
                arguments: [id.rawValue, rule.version, body]
            )
        }
    }

    /// Replaces a guardrail rule whose stored version is `expectedVersion`.
    /// - Parameters:
    ///   - rule: the new rule; its `version` is the one stored.
    ///   - expectedVersion: the version the edit was based on.
    /// - Throws: `GatewayError` `conflict` when the stored version differs; `notFound` when
    ///   missing; `storageUnavailable`.
    public func updateGuardrail(_ rule: GuardrailRule, expectedVersion: Int) async throws {
        let body = try StoredJSON.encode(rule, what: "guardrail rule")
        let id = rule.id
        try await write("updating guardrail rule '\(id)'", reporting: .guardrail(id)) { db in
            try db.execute(
                sql: "UPDATE guardrails SET version = ?, body = ? WHERE id = ? AND version = ?",
                arguments: [rule.version, body, id.rawValue, expectedVersion]
            )
            try Self.requireChanged(
                db, table: "guardrails", column: "id", id: id.rawValue,
                what: "guardrail rule '\(id)'", expectedVersion: expectedVersion)
        }
    }

    /// Deletes a guardrail rule, only at `expectedVersion` when one is given.
    /// - Parameters:
    ///   - id: the rule.
    ///   - expectedVersion: the version it must still have, or `nil` for any.
    /// - Throws: `GatewayError` `notFound` when missing; `conflict` on a version mismatch;
    ///   `storageUnavailable`.
    public func deleteGuardrail(_ id: GuardrailRule.ID, expectedVersion: Int?) async throws {
        try await write("deleting guardrail rule '\(id)'", reporting: .guardrail(id)) { db in
            if let expectedVersion {
                try db.execute(
                    sql: "DELETE FROM guardrails WHERE id = ? AND version = ?",
                    arguments: [id.rawValue, expectedVersion]
                )
            } else {
                try db.execute(sql: "DELETE FROM guardrails WHERE id = ?", arguments: [id.rawValue])
            }
            try Self.requireChanged(
                db, table: "guardrails", column: "id", id: id.rawValue,
                what: "guardrail rule '\(id)'", expectedVersion: expectedVersion)
        }
    }
}
