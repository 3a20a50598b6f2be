import GatewayKit
import PostgresNIO
import Testing

@testable import GatewayKitPostgres

@Suite struct PostgresGatewayStoreMigrationTests {
    @Test("instances starting together on an empty database all end up on the migrated schema")
    func concurrentFirstStart() async throws {
        try await TestDatabase.with { database in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        let store = try database.makeStore()
                        try await store.withRunning {
                            try await store.insertEndpoint(Fixture.endpoint("started-\(index)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let applied = try await database.integer("SELECT count(*)::int FROM gatewaykit_schema_migrations")
            #expect(applied == PostgresGatewayStore.migrations.count)
            let endpoints = try await database.integer("SELECT count(*)::int FROM gatewaykit_endpoints")
            #expect(endpoints == 6)
        }
    }

    @Test("a restarted store finds its schema migrated and its records kept")
    func restart() async throws {
        try await TestDatabase.with { database in
            let first = try database.makeStore()
            try await first.withRunning { try await first.insertEndpoint(Fixture.endpoint("kept")) }
            let second = try database.makeStore()
            let slugs = try await second.withRunning { try await second.load().endpoints.map(\.slug) }
            #expect(slugs == ["kept"])
            let versions = try await database.integer("SELECT max(version)::int FROM gatewaykit_schema_migrations")
            #expect(versions == PostgresGatewayStore.migrations.last?.version)
        }
    }

    @Test("migrating waits for the advisory lock another instance holds")
    func waitsForTheLock() async throws {
        try await TestDatabase.with { database in
            try await database.withAdminConnection { admin in
                try await admin.query("BEGIN", logger: TestDatabase.logger)
                try await admin.query(
                    "SELECT pg_advisory_xact_lock(\(PostgresGatewayStore.migrationLockKey))",
                    logger: TestDatabase.logger)
                let store = try database.makeStore()
                let started = Task { try await store.withRunning { try await store.load().endpoints.count } }
                try await Task.sleep(for: .milliseconds(500))
                let tables = try await database.integer(
                    "SELECT count(*)::int FROM pg_tables WHERE tablename = 'gatewaykit_endpoints'")
                #expect(tables == 0, "the store migrated while another instance held the migration lock")
                try await admin.query("COMMIT", logger: TestDatabase.logger)
                #expect(try await started.value == 0)
            }
        }
    }
}
