import GatewayKit
import GatewayKitPostgres
import Logging
import PostgresNIO
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A fresh database of its own for one test, on the cluster `POSTGRES_URL` names (or on a
/// cluster a test started itself).
struct TestDatabase: Sendable {
    /// The server's URL from the environment; `scripts/start-postgres.sh` prints it.
    static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["POSTGRES_URL"], !url.isEmpty else {
            throw MissingServer()
        }
        return url
    }

    /// The URL of this test's database.
    let url: String
    let name: String
    private let server: PostgresGatewayStore.Configuration

    /// Creates a database with a random name on the server at `serverURL`, runs `body`, then drops it.
    static func with<T: Sendable>(
        serverURL: String? = nil, _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        let database = try await create(serverURL: serverURL ?? Self.serverURL())
        do {
            let result = try await body(database)
            await database.drop()
            return result
        } catch {
            await database.drop()
            throw error
        }
    }

    static func create(serverURL: String) async throws -> TestDatabase {
        let server = try PostgresGatewayStore.Configuration(url: serverURL)
        var generator = SystemRandomNumberGenerator()
        let name = "gk_test_" + String(generator.next() as UInt64, radix: 16)
        try await Self.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), on: server)
        var components = URLComponents(string: serverURL)
        components?.path = "/" + name
        guard let url = components?.string else { throw ScriptFailure(description: "POSTGRES_URL is not a URL") }
        return TestDatabase(url: url, name: name, server: server)
    }

    func drop() async {
        try? await Self.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), on: server)
    }

    /// Runs one statement on this test's database, as the administrator.
    func execute(_ query: PostgresQuery) async throws {
        var configuration = server
        configuration.database = name
        try await Self.execute(query, on: configuration)
    }

    /// Reads one integer from this test's database.
    func integer(_ query: PostgresQuery) async throws -> Int? {
        var configuration = server
        configuration.database = name
        return try await Self.withConnection(configuration) { connection in
            var value: Int?
            for try await number in try await connection.query(query, logger: Self.logger).decode(Int.self) {
                value = number
            }
            return value
        }
    }

    /// Cuts every connection to this test's database that is listening for changes, as a network
    /// failure would; returns how many were cut.
    func terminateListeners() async throws -> Int? {
        try await integer(
            """
            SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity
            WHERE datname = current_database() AND query ILIKE 'LISTEN%'
            """)
    }

    /// Runs `body` on an administrator's connection to this test's database.
    func withAdminConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        var configuration = server
        configuration.database = name
        return try await Self.withConnection(configuration, body)
    }

    /// A store on this test's database, with short timeouts so failures show quickly.
    func makeStore(operationTimeout: Duration = .seconds(10)) throws -> PostgresGatewayStore {
        var configuration = try PostgresGatewayStore.Configuration(url: url)
        configuration.operationTimeout = operationTimeout
        configuration.maximumReconnectDelay = .milliseconds(500)
        return PostgresGatewayStore(configuration: configuration)
    }

    static let logger = Logger(label: "gatewaykit.postgres.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    private static func execute(_ query: PostgresQuery, on configuration: PostgresGatewayStore.Configuration)
        async throws
    {
        try await withConnection(configuration) { connection in
            _ = try await connection.query(query, logger: logger)
        }
    }

    private static func withConnection<T: Sendable>(
        _ configuration: PostgresGatewayStore.Configuration, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: configuration.host, port: configuration.port, username: configuration.username,
                password: configuration.password?.reveal(), database: configuration.database, tls: .disable),
            id: 99, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

struct MissingServer: Error, CustomStringConvertible {
    var description: String {
        "POSTGRES_URL is not set: these tests need a PostgreSQL server. Start one with "
            + "`eval \"$(scripts/start-postgres.sh)\"` (and stop it with scripts/stop-postgres.sh)."
    }
}
