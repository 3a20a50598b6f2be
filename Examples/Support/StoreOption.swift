public import GatewayKit

/// Where an example keeps its configuration: `memory`, or `sqlite:PATH`.
public enum StoreOption: Sendable, Equatable, CustomStringConvertible {
    /// An in-memory store, gone when the process exits.
    case memory
    /// A SQLite file.
    case sqlite(path: String)

    /// Parses `memory` or `sqlite:PATH`.
    /// - Throws: ``ExampleError`` naming the accepted forms.
    public init(parsing text: String) throws(ExampleError) {
        if text == "memory" {
            self = .memory
        } else if text.hasPrefix("sqlite:"), text.count > "sqlite:".count {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else {
            throw ExampleError(
                "unknown store '\(text)': use 'memory' or 'sqlite:PATH' (for example sqlite:gateway.sqlite)")
        }
    }

    /// The option as written on the command line.
    public var description: String {
        switch self {
        case .memory: "memory"
        case .sqlite(let path): "sqlite:\(path)"
        }
    }

    /// Where a gateway on `store` keeps usage records: the store itself when it can (SQLite),
    /// else a store in memory.
    /// - Parameter store: the opened configuration store.
    /// - Returns: the usage store.
    public static func usageStore(for store: any GatewayStore) -> any UsageStore {
        (store as? any UsageStore) ?? InMemoryUsageStore()
    }

    /// Opens the store.
    /// - Throws: ``ExampleError`` when it cannot be opened.
    public func open() async throws -> any GatewayStore {
        switch self {
        case .memory: InMemoryGatewayStore()
        case .sqlite(let path): try await SQLiteStoreOpener.open(path: path)
        }
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
