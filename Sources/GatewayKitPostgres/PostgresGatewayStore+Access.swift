import GatewayKit
import Logging
import PostgresNIO

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PostgresGatewayStore {
    // Runs `body` on a pooled connection once the store is ready, within the operation timeout.
    // `attempts` > 1 only for reads: a write that failed mid-way may have committed.
    func perform<T: Sendable>(
        _ action: String, attempts: Int = 1, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(GatewayError) -> T {
        var attempt = 1
        while true {
            do {
                return try await withinTimeout(action) {
                    try await self.lifecycle.waitUntilReady()
                    return try await self.client.withConnection { connection in try await body(connection) }
                }
            } catch {
                guard attempt < attempts, Self.isConnectionLoss(error) else { throw Self.storageError(error, action) }
                attempt += 1
            }
        }
    }

    // One transaction that, when `body` succeeds, also sends `change` to every listener: PostgreSQL
    // delivers the notification only if the transaction commits.
    func transaction(
        _ action: String, notifying change: StoreChange?,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Void
    ) async throws(GatewayError) {
        let logger = self.logger
        try await perform(action) { connection in
            try await Self.inTransaction(connection, logger: logger) {
                try await body(connection)
                if let change {
                    try await connection.query(
                        "SELECT pg_notify(\(StoreChange.notificationChannel), \(change.notificationPayload))",
                        logger: logger)
                }
            }
        }
    }

    // BEGIN, `body`, COMMIT; ROLLBACK when `body` throws, so no connection goes back to the pool
    // inside a transaction (and one whose ROLLBACK fails is closed instead).
    static func inTransaction<T: Sendable>(
        _ connection: PostgresConnection, begin: PostgresQuery = "BEGIN", logger: Logger,
        _ body: () async throws -> T
    ) async throws -> T {
        try await connection.query(begin, logger: logger)
        do {
            let result = try await body()
            try await connection.query("COMMIT", logger: logger)
            return result
        } catch {
            do {
                try await connection.query("ROLLBACK", logger: logger)
            } catch {
                close(connection)
            }
            throw error
        }
    }

    private func withinTimeout<T: Sendable>(
        _ action: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let timeout = configuration.operationTimeout
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            if let result = try await group.next(), let value = result { return value }
            throw timeoutError(action, after: timeout)
        }
    }

    private func timeoutError(_ action: String, after timeout: Duration) -> GatewayError {
        if case .notStarted = lifecycle.phase {
            return GatewayError(
                .storageUnavailable,
                "the PostgreSQL store is not running while \(action): call its run() (or withRunning) first"
            )
        }
        return GatewayError(
            .storageUnavailable, "the PostgreSQL store did not answer within \(timeout) while \(action)"
        )
    }

    static func storageError(_ error: any Error, _ action: String) -> GatewayError {
        switch error {
        case let error as GatewayError:
            return error
        case let error as PSQLError where error.serverInfo?[.sqlState] == "23505":
            return GatewayError(.conflict, "\(action) failed: the id is already taken", underlying: error)
        default:
            // The message names the action only: PostgreSQL's own text may quote values, and the
            // connection settings hold a password. Both stay in `underlying`.
            let reason = reason(error).map { ": \($0)" } ?? ""
            return GatewayError(
                .storageUnavailable, "the PostgreSQL store failed while \(action)\(reason)", underlying: error
            )
        }
    }

    // A cause an operator can act on, in our words (never the server's text).
    private static func reason(_ error: any Error) -> String? {
        guard let error = error as? PSQLError else { return nil }
        switch error.serverInfo?[.sqlState] {
        case "28P01", "28000": return "the server refused the user name or password"
        case "3D000": return "the database does not exist"
        case "42501": return "the user may not create or change the gateway's tables"
        default: break
        }
        if error.code == .connectionError || error.code == .serverClosedConnection {
            return "cannot connect to the server (is it running, and are the host and port right?)"
        }
        if error.code == .sslUnsupported { return "the server does not support TLS; add ?sslmode=disable" }
        return nil
    }

    static func isConnectionLoss(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        return [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown]
            .contains(error.code)
    }

    // After a versioned UPDATE or DELETE changed no row: the record is missing (`notFound`) or
    // holds another version (`conflict`). Runs in the same transaction, so the answer is exact.
    static func missingOrStale(
        _ connection: PostgresConnection, _ query: PostgresQuery, what: String, expectedVersion: Int?,
        logger: Logger
    ) async throws -> GatewayError {
        let rows = try await connection.query(query, logger: logger)
        var stored: Int?
        for try await version in rows.decode(Int.self) { stored = version }
        guard let stored else { return GatewayError(.notFound, "no \(what)") }
        return GatewayError(
            .conflict,
            "\(what) was changed by someone else (version \(stored), you edited \(expectedVersion ?? stored)); "
                + "reload and retry",
            field: "version"
        )
    }

    // Whether a statement ending in `RETURNING 1` touched a row.
    static func changedRow(_ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws
        -> Bool
    {
        var changed = false
        for try await _ in try await connection.query(query, logger: logger) { changed = true }
        return changed
    }
}
