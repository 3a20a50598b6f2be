import GatewayKit
import GatewayKitSQLite

// The one place the examples open a SQLite store.
enum SQLiteStoreOpener {
    static func open(path: String) async throws -> any GatewayStore {
        try SQLiteGatewayStore(path: path)
    }
}
