import GRDB
import GatewayKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SQLiteGatewayStore {
    // Named migrations, applied in order; a released migration is never edited, only followed by a
    // new one. Records are JSON bodies, with the columns needed for keys, uniqueness and
    // unversioned updates kept beside them.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE endpoints (
                        slug TEXT PRIMARY KEY NOT NULL,
                        version INTEGER NOT NULL,
                        body TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE TABLE api_keys (
                        id TEXT PRIMARY KEY NOT NULL,
                        version INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        provider TEXT NOT NULL,
                        body TEXT NOT NULL,
                        sealed_secret TEXT NOT NULL,
                        last_used_at REAL
                    );
                    CREATE TABLE access_tokens (
                        id TEXT PRIMARY KEY NOT NULL,
                        token_hash TEXT NOT NULL UNIQUE,
                        body TEXT NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v2-guardrails") { db in
            try db.execute(
                sql: """
                    CREATE TABLE guardrails (
                        id TEXT PRIMARY KEY NOT NULL,
                        version INTEGER NOT NULL,
                        body TEXT NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v3-usage") { db in
            try db.execute(
                sql: """
                    CREATE TABLE usage_records (
                        id TEXT PRIMARY KEY NOT NULL,
                        time REAL NOT NULL,
                        endpoint TEXT NOT NULL,
                        served_by TEXT,
                        provider TEXT,
                        model TEXT,
                        token_id TEXT,
                        role TEXT NOT NULL,
                        prompt_tokens INTEGER NOT NULL,
                        completion_tokens INTEGER NOT NULL,
                        cost_usd TEXT NOT NULL,
                        unpriced INTEGER NOT NULL,
                        latency_us INTEGER NOT NULL,
                        overhead_us INTEGER NOT NULL,
                        fallback INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        stream INTEGER NOT NULL
                    );
                    CREATE INDEX usage_records_time ON usage_records (time);
                    CREATE INDEX usage_records_endpoint_time ON usage_records (endpoint, time);
                    """
            )
        }
        return migrator
    }

    static func migrate(_ database: any DatabaseWriter) throws(GatewayError) {
        // Processes opening a new file at once race to apply the same migrations: a loser's
        // transaction rolls back (busy, or a table another just created), and a later pass finds
        // the migration applied. With several openers one can lose more than once in a row.
        var attempt = 0
        while true {
            attempt += 1
            do {
                try migrator.migrate(database)
                return
            } catch {
                guard attempt < 8 else {
                    throw GatewayError(
                        .storageUnavailable, "the SQLite store's schema could not be created or migrated",
                        underlying: error
                    )
                }
                usleep(UInt32(2_000 * attempt))
            }
        }
    }
}
