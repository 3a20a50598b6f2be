public import GatewayKit
import Logging
import PostgresNIO
public import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A ``GatewayKit/GatewayStore`` in PostgreSQL, for several gateway instances sharing one
/// configuration.
///
/// Every write runs in one transaction that also sends `NOTIFY gatewaykit_changes`, and every
/// store `LISTEN`s, so ``changes()`` reports writes made by any instance (its own included) within
/// milliseconds. When the listening connection drops, the store reconnects with backoff and then
/// reports `.everything`, so a gateway reloads its whole configuration and misses no change.
/// Edits are optimistic: `UPDATE … WHERE version = expected`, and a stale version is `conflict`.
///
/// The store is a `Service`: its ``run()`` runs the connection pool, creates or migrates the
/// schema (tables `gatewaykit_*`; migrations recorded in `gatewaykit_schema_migrations` and taken
/// under an advisory lock, so instances starting together are safe) and listens for changes.
/// Store calls wait until the schema is ready, so start ``run()`` first and open the gateway
/// meanwhile; stop the store after the gateway, so the gateway's last key-usage times are written:
///
/// ```swift
/// let store = try PostgresGatewayStore(url: "postgres://gateway:secret@db.internal:5432/gateway")
/// try await withThrowingTaskGroup(of: Void.self) { group in
///     group.addTask { try await store.run() }
///     let gateway = try await Gateway(store: store, masterKey: masterKey)  // waits for the schema
///     let services = ServiceGroup(services: [gateway, server], gracefulShutdownSignals: [.sigterm], logger: logger)
///     try await services.run()
///     group.cancelAll()  // the gateway has stopped: now stop the store
/// }
/// ```
///
/// In tests and one-off tools, ``withRunning(_:)`` does the same around a closure.
public final class PostgresGatewayStore: GatewayStore, Service {
    let configuration: Configuration
    let client: PostgresClient
    let lifecycle = StoreLifecycle()
    let subscribers = ChangeSubscribers()
    var logger: Logger { configuration.logger }

    /// Creates a store; nothing connects until ``run()``.
    /// - Parameter configuration: where the database is, pool options, timeouts and logger.
    public init(configuration: Configuration) {
        self.configuration = configuration
        self.client = PostgresClient(
            configuration: configuration.clientConfiguration, backgroundLogger: configuration.logger)
    }

    /// Creates a store from a URL, `postgres://user:password@host:5432/database?sslmode=disable`.
    /// - Parameter url: the URL; see ``Configuration/init(url:)`` for `sslmode`.
    /// - Throws: `GatewayError` `invalidRequest` (field `store`) when the URL cannot be used.
    public convenience init(url: String) throws(GatewayError) {
        self.init(configuration: try Configuration(url: url))
    }

    /// Runs the store: the connection pool, the schema migration, then the change feed, until the
    /// task is cancelled or the service group shuts down. Call it once.
    /// - Throws: `GatewayError` `storageUnavailable` when the database cannot be reached or the
    ///   schema cannot be migrated (the PostgreSQL error is in `underlying`); every waiting and
    ///   later store call then fails with the same error. `internal` when called twice.
    public func run() async throws {
        guard lifecycle.start() else {
            throw GatewayError(.internal, "PostgresGatewayStore.run() was called twice; run a store once")
        }
        defer {
            lifecycle.stop()
            subscribers.finishAll()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            do {
                try await migrate()
            } catch {
                let failure = Self.storageError(error, "creating or migrating the schema")
                lifecycle.fail(failure)
                group.cancelAll()
                throw failure
            }
            group.addTask { await cancelWhenGracefulShutdown { await self.followNotifications() } }
            // The pool's run() returns on graceful shutdown or cancellation; the feed stops with it.
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// Runs the store for the duration of `body`: starts ``run()``, waits until the schema is
    /// ready, runs `body`, then stops the store. For tests and one-off tools; a server runs
    /// ``run()`` beside its services, as the type's documentation shows.
    ///
    /// ```swift
    /// try await store.withRunning {
    ///     let gateway = try await Gateway(store: store, masterKey: masterKey)
    ///     print(gateway.endpoints.list(by: .admin).count)
    /// }
    /// ```
    /// - Parameter body: the work to do with the store running.
    /// - Returns: what `body` returns.
    /// - Throws: `GatewayError` `storageUnavailable` when the store cannot start; whatever `body` throws.
    public func withRunning<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            defer { group.cancelAll() }
            try await lifecycle.waitUntilReady()
            return try await body()
        }
    }

    /// Loads everything, in one read-only transaction, so the contents are one consistent moment.
    /// - Returns: every endpoint, API key and access token.
    /// - Throws: `GatewayError` `storageUnavailable`; `internal` when a stored record cannot be read.
    public func load() async throws -> StoreContents {
        // Reading is safe to repeat, so a connection that died with the server (and that the pool
        // has not noticed yet) costs one retry rather than a failed reload.
        let logger = self.logger
        return try await perform("loading the configuration", attempts: 3) { connection in
            try await Self.inTransaction(
                connection, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger
            ) {
                try await Self.readContents(connection, logger: logger)
            }
        }
    }

    /// Changes written by any instance on this database, this one included, as they commit; then
    /// `.everything` after each reconnection of the feed. The stream ends when ``run()`` returns.
    /// - Returns: a stream of changes; each call gets its own.
    public func changes() -> AsyncStream<StoreChange> {
        subscribers.subscribe()
    }

    private static func readContents(_ connection: PostgresConnection, logger: Logger) async throws -> StoreContents {
        var contents = StoreContents()
        let endpoints = try await connection.query(
            "SELECT body::text FROM gatewaykit_endpoints ORDER BY slug", logger: logger)
        for try await body in endpoints.decode(String.self) {
            contents.endpoints.append(try StoredJSON.decode(Endpoint.self, from: body, what: "endpoint"))
        }
        let keys = try await connection.query(
            "SELECT body::text, sealed_secret, last_used_at FROM gatewaykit_api_keys ORDER BY id", logger: logger)
        for try await (body, sealedSecret, lastUsedAt) in keys.decode((String, String, Date?).self) {
            var key = try StoredJSON.decode(APIKey.self, from: body, what: "API key")
            key.lastUsedAt = lastUsedAt
            contents.apiKeys.append(StoredAPIKey(key: key, sealedSecret: sealedSecret))
        }
        let tokens = try await connection.query(
            "SELECT body::text FROM gatewaykit_access_tokens ORDER BY id", logger: logger)
        for try await body in tokens.decode(String.self) {
            contents.accessTokens.append(try StoredJSON.decode(AccessToken.self, from: body, what: "access token"))
        }
        let guardrails = try await connection.query(
            "SELECT body::text FROM gatewaykit_guardrails ORDER BY id", logger: logger)
        for try await body in guardrails.decode(String.self) {
            contents.guardrails.append(try StoredJSON.decode(GuardrailRule.self, from: body, what: "guardrail rule"))
        }
        return contents
    }
}
