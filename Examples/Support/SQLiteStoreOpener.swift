import GatewayKit
import GatewayKitSQLite

// The one place the examples open a SQLite store. The SQLite store is built on another branch;
// until it is merged this answers with a clear error. When `SQLiteGatewayStore` exists, the body
// becomes: `try SQLiteGatewayStore(path: path)` (wrapped in `try await` if its init is async).
enum SQLiteStoreOpener {
    static func open(path: String) async throws -> any GatewayStore {
        throw ExampleError(
            "this build has no SQLite store yet; use --store memory (or GATEWAY_STORE=memory) for now"
        )
    }
}
