public import GatewayKit
public import Logging

/// Where an example keeps its configuration: `memory`, `sqlite:PATH` or a `postgres://` URL.
public enum StoreOption: Sendable, Equatable, CustomStringConvertible {
    /// An in-memory store, gone when the process exits.
    case memory
    /// A SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database shared by several instances (`postgres://user:password@host:5432/db`).
    case postgres(url: String)

    /// Parses `memory`, `sqlite:PATH`, or `postgres://…` / `postgresql://…`.
    /// - Throws: ``ExampleError`` naming the accepted forms.
    public init(parsing text: String) throws(ExampleError) {
        if text == "memory" {
            self = .memory
        } else if text.hasPrefix("sqlite:"), text.count > "sqlite:".count {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            throw ExampleError(
                "unknown store '\(Self.masked(text))': use 'memory', 'sqlite:PATH' (for example sqlite:gateway.sqlite) "
                    + "or a PostgreSQL URL (postgres://user:password@host:5432/database)"
            )
        }
    }

    /// The option as written on the command line, with a PostgreSQL password masked.
    public var description: String {
        switch self {
        case .memory: "memory"
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): Self.masked(url)
        }
    }

    /// Where a gateway on `store` keeps usage records: the store itself when it can (SQLite),
    /// else a store in memory.
    /// - Parameter store: the opened configuration store.
    /// - Returns: the usage store.
    public static func usageStore(for store: any GatewayStore) -> any UsageStore {
        (store as? any UsageStore) ?? InMemoryUsageStore()
    }

    /// Opens the store and runs `body` with it. A PostgreSQL store runs (pool, schema migration,
    /// change feed) for exactly as long as `body`, and `body` starts once the schema is ready.
    /// - Parameters:
    ///   - logger: where a PostgreSQL store logs connection trouble.
    ///   - body: the work to do with the open store.
    /// - Throws: ``ExampleError`` or `GatewayError` when the store cannot be opened, and what `body` throws.
    public func withStore<T: Sendable>(
        logger: Logger, _ body: (any GatewayStore) async throws -> T
    ) async throws -> T {
        switch self {
        case .memory:
            return try await body(InMemoryGatewayStore())
        case .sqlite(let path):
            return try await body(try await SQLiteStoreOpener.open(path: path))
        case .postgres(let url):
            return try await PostgresStoreOpener.withStore(url: url, logger: logger, body)
        }
    }

    // Replaces the password in a URL's user information with `***`: the option is printed at start.
    static func masked(_ text: String) -> String {
        guard let scheme = text.firstRange(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return text }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<scheme.upperBound]) + userInfo[..<colon] + ":***" + rest[at...]
    }
}

/// A failure an example reports on stderr before exiting non-zero.
public struct ExampleError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
