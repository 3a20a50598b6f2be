import GRDB
import GatewayKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteGatewayStore {
    func read<T: Sendable>(
        _ action: String, _ body: @Sendable (Database) throws -> T
    ) async throws(GatewayError) -> T {
        do {
            return try await database.read(body)
        } catch {
            throw Self.storageError(error, action)
        }
    }

    // One IMMEDIATE transaction (GRDB's default for writes), so a check and the write after it
    // cannot interleave with another connection's write. `change` is reported once it commits.
    func write(
        _ action: String, reporting change: StoreChange?, _ body: @Sendable (Database) throws -> Void
    ) async throws(GatewayError) {
        do {
            try await database.write(body)
        } catch {
            throw Self.storageError(error, action)
        }
        if let change { feed.publish(change) }
    }

    static func storageError(_ error: any Error, _ action: String) -> GatewayError {
        switch error {
        case let error as GatewayError:
            return error
        case let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT:
            return GatewayError(.conflict, "\(action) failed: the id is already taken", underlying: error)
        case is DecodingError:
            return GatewayError(.internal, "\(action) failed: a stored record could not be read", underlying: error)
        default:
            return GatewayError(.storageUnavailable, "the SQLite store failed while \(action)", underlying: error)
        }
    }
}
