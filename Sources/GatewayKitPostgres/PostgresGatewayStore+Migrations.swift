import GatewayKit
import Logging
import PostgresNIO

extension PostgresGatewayStore {
    // One schema change. Released migrations are never edited, only followed by new ones.
    struct Migration: Sendable {
        var version: Int
        var name: String
        var statements: [String]
    }

    // The key of the transaction-scoped advisory lock taken while migrating ("gatewayk" in ASCII),
    // so instances starting at once migrate one after another.
    static let migrationLockKey = 0x6761_7465_7761_796B

    // Records are JSON bodies, with the columns needed for keys, uniqueness and unversioned updates
    // kept beside them. Table names carry a prefix: the database may be shared with other programs.
    static let migrations: [Migration] = [
        Migration(
            version: 1, name: "create endpoints, API keys and access tokens",
            statements: [
                """
                CREATE TABLE gatewaykit_endpoints (
                    slug text PRIMARY KEY,
                    version bigint NOT NULL,
                    body jsonb NOT NULL,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                )
                """,
                """
                CREATE TABLE gatewaykit_api_keys (
                    id text PRIMARY KEY,
                    version bigint NOT NULL,
                    name text NOT NULL,
                    provider text NOT NULL,
                    body jsonb NOT NULL,
                    sealed_secret text NOT NULL,
                    last_used_at timestamptz
                )
                """,
                """
                CREATE TABLE gatewaykit_access_tokens (
                    id text PRIMARY KEY,
                    token_hash text NOT NULL UNIQUE,
                    body jsonb NOT NULL
                )
                """,
            ]
        ),
        Migration(
            version: 2, name: "create guardrail rules",
            statements: [
                """
                CREATE TABLE gatewaykit_guardrails (
                    id text PRIMARY KEY,
                    version bigint NOT NULL,
                    body jsonb NOT NULL
                )
                """
            ]
        ),
        Migration(
            version: 3, name: "v3-usage: create usage records",
            statements: [
                """
                CREATE TABLE gatewaykit_usage_records (
                    id uuid PRIMARY KEY,
                    time timestamptz NOT NULL,
                    endpoint text NOT NULL,
                    served_by text,
                    provider text,
                    model text,
                    token_id text,
                    role text NOT NULL,
                    prompt_tokens bigint NOT NULL,
                    completion_tokens bigint NOT NULL,
                    cost_usd numeric NOT NULL,
                    unpriced boolean NOT NULL,
                    latency_us bigint NOT NULL,
                    overhead_us bigint NOT NULL,
                    fallback boolean NOT NULL,
                    status text NOT NULL,
                    stream boolean NOT NULL
                )
                """,
                "CREATE INDEX gatewaykit_usage_records_time ON gatewaykit_usage_records (time)",
                "CREATE INDEX gatewaykit_usage_records_endpoint_time ON gatewaykit_usage_records (endpoint, time)",
            ]
        ),
    ]

    // Applies every migration the database lacks, in one transaction on a connection of its own
    // (not the pool's, so a wrong password or a missing database fails at once with PostgreSQL's
    // own error rather than after the pool's retries).
    func migrate() async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try configuration.connectionConfiguration(), id: 0, logger: logger)
        do {
            try await Self.migrate(on: connection, logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func migrate(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS gatewaykit_schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                logger: logger)
            var applied: Set<Int> = []
            let rows = try await connection.query("SELECT version FROM gatewaykit_schema_migrations", logger: logger)
            for try await version in rows.decode(Int.self) { applied.insert(version) }
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO gatewaykit_schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
                logger.info(
                    "applied a schema migration",
                    metadata: [
                        "gateway.migration": "\(migration.version)", "gateway.migration.name": "\(migration.name)",
                    ])
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }
}
