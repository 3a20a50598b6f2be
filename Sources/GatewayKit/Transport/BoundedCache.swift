import Synchronization

/// A small lock-protected cache for values that are costly to make and asked for again and again,
/// such as a provider URL parsed for each call to it.
///
/// Endpoints name few URLs, so the bound only matters for keys that change per call (a rotated key
/// in a query string): a full cache starts over instead of growing.
final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let capacity: Int
    private let entries = Mutex<[Key: Value]>([:])

    init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
    }

    /// The value for `key`, made by `make` and remembered when it is not cached yet.
    /// - Throws: what `make` throws; nothing is remembered then.
    func value(for key: Key, make: () throws -> Value) rethrows -> Value {
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let made = try make()
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = made
        }
        return made
    }
}
