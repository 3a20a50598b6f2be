import GatewayKit
import GatewayKitPostgres
import Logging

// The one place the examples open a PostgreSQL store.
enum PostgresStoreOpener {
    static func withStore<T: Sendable>(
        url: String, logger: Logger, _ body: (any GatewayStore) async throws -> T
    ) async throws -> T {
        var configuration = try PostgresGatewayStore.Configuration(url: url)
        configuration.logger = logger
        let store = PostgresGatewayStore(configuration: configuration)
        return try await store.withRunning { try await body(store) }
    }
}
