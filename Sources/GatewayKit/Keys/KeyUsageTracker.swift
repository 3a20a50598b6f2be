#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Remembers when each API key was last used, in memory, so the request path never writes to
/// the store; ``Gateway/run()`` flushes it now and then.
final class KeyUsageTracker: Sendable {
    private let state = Mutex<(pending: [APIKey.ID: Date], latest: [APIKey.ID: Date])>(([:], [:]))

    func markUsed(_ id: APIKey.ID, at date: Date) {
        state.withLock {
            $0.pending[id] = date
            $0.latest[id] = date
        }
    }

    /// `key` with its last-used time brought up to date.
    func merged(_ key: APIKey) -> APIKey {
        var key = key
        if let latest = state.withLock({ $0.latest[key.id] }), latest > (key.lastUsedAt ?? .distantPast) {
            key.lastUsedAt = latest
        }
        return key
    }

    /// Takes the uses not yet written to the store.
    func drain() -> [APIKey.ID: Date] {
        state.withLock {
            let pending = $0.pending
            $0.pending = [:]
            return pending
        }
    }
}
