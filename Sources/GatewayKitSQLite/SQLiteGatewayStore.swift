import GRDB
public import GatewayKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A ``GatewayKit/GatewayStore`` in one SQLite file: the embedded default.
///
/// The file is opened in WAL mode, so reads never wait for a write, and several stores (in this
/// process or others) may share it: a writer that finds the file locked waits up to
/// ``Configuration/busyTimeout`` instead of failing. Writes are optimistic, as the protocol asks:
/// an update or delete naming a stale version is a `conflict` and changes nothing.
///
/// ``changes()`` reports every write made through this instance at once, and notices writes made
/// by other processes or instances on the same file by polling SQLite's `data_version` every
/// ``Configuration/changePollInterval`` while someone listens (reported as `.everything`).
///
/// ```swift
/// let store = try SQLiteGatewayStore(path: "/var/lib/gateway/config.sqlite")
/// let gateway = try await Gateway(store: store, masterKey: masterKey)
/// ```
public final class SQLiteGatewayStore: GatewayStore {
    /// Options for opening a store.
    public struct Configuration: Sendable {
        /// How long a write waits for another connection's lock before failing with
        /// `storageUnavailable`.
        public var busyTimeout: Duration
        /// How often ``SQLiteGatewayStore/changes()`` checks the file for writes by other
        /// connections, while someone listens.
        public var changePollInterval: Duration
        /// The most memory each connection to a file keeps as SQLite's page cache, in bytes.
        ///
        /// SQLite's own default is 2 MiB per connection, and recording usage fills the writer's
        /// within seconds. The store's hot pages (the configuration, the ends of the usage table
        /// and its indexes) fit in far less; the rest is read through the operating system's
        /// file cache. Raise it when usage reports over long periods are slow.
        public var pageCacheBytes: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - busyTimeout: how long a write waits for a lock held elsewhere; 5 seconds by default.
        ///   - changePollInterval: how often to look for other connections' writes; 500 ms by default.
        ///   - pageCacheBytes: the page cache of each connection to a file; 256 KiB by default.
        public init(
            busyTimeout: Duration = .seconds(5), changePollInterval: Duration = .milliseconds(500),
            pageCacheBytes: Int = 256 << 10
        ) {
            self.busyTimeout = busyTimeout
            self.changePollInterval = changePollInterval
            self.pageCacheBytes = pageCacheBytes
        }
    }

    let database: any DatabaseWriter
    let feed: ChangeFeed

    /// Opens the store in the SQLite file at `path`, creating the file and its tables if needed
    /// and migrating an older schema.
    /// - Parameters:
    ///   - path: the database file; its directory must exist.
    ///   - configuration: lock wait and change polling options.
    /// - Throws: `GatewayError` `storageUnavailable` when the file cannot be opened, is not a
    ///   database, or cannot be migrated (the SQLite error is in `underlying`).
    public convenience init(path: String, configuration: Configuration = .init()) throws(GatewayError) {
        let database = try Self.openPool(path: path, configuration: configuration)
        try self.init(database: database, configuration: configuration, watchesOtherConnections: true)
    }

    /// Opens a store that lives only in memory, for tests: it starts empty, vanishes with the
    /// instance, and no other instance can see it.
    /// - Parameter configuration: options; only ``Configuration/busyTimeout`` applies.
    /// - Returns: the store.
    /// - Throws: `GatewayError` `storageUnavailable` when SQLite cannot create the database.
    public static func inMemory(configuration: Configuration = .init()) throws(GatewayError) -> SQLiteGatewayStore {
        let database: DatabaseQueue
        do {
            database = try DatabaseQueue(configuration: grdbConfiguration(configuration))
        } catch {
            throw GatewayError(.storageUnavailable, "an in-memory SQLite store could not be created", underlying: error)
        }
        return try SQLiteGatewayStore(database: database, configuration: configuration, watchesOtherConnections: false)
    }

    private init(
        database: any DatabaseWriter, configuration: Configuration, watchesOtherConnections: Bool
    ) throws(GatewayError) {
        try Self.migrate(database)
        self.database = database
        // Read the baseline now, so a write by another connection after opening is never missed.
        let baseline = watchesOtherConnections ? try Self.dataVersion(of: database) : nil
        self.feed = ChangeFeed(database: database, pollInterval: configuration.changePollInterval, baseline: baseline)
    }

    deinit {
        feed.finishAll()
    }

    /// Closes the database file. Every later call throws `storageUnavailable`, and every
    /// ``changes()`` stream ends.
    /// - Throws: `GatewayError` `storageUnavailable` when SQLite cannot close the file cleanly.
    public func close() throws(GatewayError) {
        feed.finishAll()
        do {
            try database.close()
        } catch {
            throw GatewayError(.storageUnavailable, "the SQLite store could not be closed", underlying: error)
        }
    }

    public func load() async throws -> StoreContents {
        try await read("loading the configuration") { db in
            let endpoints = try String.fetchAll(db, sql: "SELECT body FROM endpoints ORDER BY slug").map {
                try StoredJSON.decode(Endpoint.self, from: $0, what: "endpoint")
            }
            let keyRows = try Row.fetchAll(
                db, sql: "SELECT body, sealed_secret, last_used_at FROM api_keys ORDER BY id")
            let keys = try keyRows.map { row in
                let body = try row.decode(String.self, forColumn: "body")
                var key = try StoredJSON.decode(APIKey.self, from: body, what: "API key")
                let lastUsed = try row.decode(Double?.self, forColumn: "last_used_at")
                key.lastUsedAt = lastUsed.map(Date.init(timeIntervalSince1970:))
                let sealedSecret = try row.decode(String.self, forColumn: "sealed_secret")
                return StoredAPIKey(key: key, sealedSecret: sealedSecret)
            }
            let tokens = try String.fetchAll(db, sql: "SELECT body FROM access_tokens ORDER BY id").map {
                try StoredJSON.decode(AccessToken.self, from: $0, what: "access token")
            }
            let guardrails = try String.fetchAll(db, sql: "SELECT body FROM guardrails ORDER BY id").map {
                try StoredJSON.decode(GuardrailRule.self, from: $0, what: "guardrail rule")
            }
            return StoreContents(endpoints: endpoints, apiKeys: keys, accessTokens: tokens, guardrails: guardrails)
        }
    }

    public func changes() -> AsyncStream<StoreChange> {
        feed.subscribe()
    }

    private static func openPool(path: String, configuration: Configuration) throws(GatewayError) -> DatabasePool {
        var attempts = 0
        while true {
            attempts += 1
            do {
                var grdb = grdbConfiguration(configuration)
                // A negative cache_size is in KiB. An in-memory database is its cache: no limit there.
                let cacheKiB = max(1, configuration.pageCacheBytes >> 10)
                grdb.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)") }
                return try DatabasePool(path: path, configuration: grdb)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempts < 5 {
                // Switching a new file to WAL needs an exclusive lock; when another connection is
                // switching it too, SQLite may answer BUSY at once rather than wait and risk a
                // deadlock. Once the file is in WAL mode, opening it again succeeds.
                continue
            } catch {
                throw GatewayError(
                    .storageUnavailable, "the SQLite store at '\(path)' could not be opened", underlying: error
                )
            }
        }
    }

    private static func grdbConfiguration(_ configuration: Configuration) -> GRDB.Configuration {
        var grdb = GRDB.Configuration()
        grdb.busyMode = .timeout(configuration.busyTimeout.seconds)
        grdb.label = "GatewayKit.SQLiteGatewayStore"
        return grdb
    }

    // `PRAGMA data_version` on the writer connection changes only when another connection commits,
    // so this store's own writes do not show up as foreign changes.
    static func dataVersion(of database: any DatabaseWriter) throws(GatewayError) -> Int {
        do {
            return try database.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0
            }
        } catch {
            throw GatewayError(.storageUnavailable, "the SQLite store could not be read", underlying: error)
        }
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
