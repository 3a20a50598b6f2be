import Synchronization

/// Metric handles made once per label and dimensions and then reused.
///
/// Making a swift-metrics handle goes through the backend's registry (a lock and a lookup by label
/// and dimensions) and allocates; on every request that shows. Handles are made on first use, so
/// the metrics system must be bootstrapped before the first request, as swift-metrics requires
/// anyway.
package final class MetricHandleCache<Key: Hashable & Sendable, Handle>: Sendable {
    // A bound on the handles kept: requests to ever new unknown slugs must not grow it forever.
    private let limit: Int
    private let handles: Mutex<[Key: Handle]>

    /// Creates an empty cache that keeps at most `limit` handles (it starts over when full).
    package init(limit: Int = 4_096) {
        self.limit = limit
        self.handles = Mutex([:])
    }

    /// The handle for `key`, made by `make` the first time.
    package func handle(_ key: Key, make: () -> Handle) -> Handle {
        handles.withLock { cache in
            if let handle = cache[key] { return handle }
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            let handle = make()
            cache[key] = handle
            return handle
        }
    }
}
