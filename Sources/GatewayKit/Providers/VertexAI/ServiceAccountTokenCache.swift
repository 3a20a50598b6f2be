import Synchronization

/// Caches service-account access tokens until shortly before they expire, and makes sure that when
/// many requests need a token at the same moment only one exchange runs: the others await it.
final class ServiceAccountTokenCache: Sendable {
    struct Key: Hashable, Sendable {
        var clientEmail: String
        var tokenURI: String
    }

    private struct Cached: Sendable {
        var token: Secret
        var refreshAt: Duration
    }

    private enum Entry: Sendable {
        case ready(Cached)
        case refreshing(Task<Cached, any Error>)
    }

    /// How long before its expiry a token is replaced.
    static let margin: Duration = .seconds(60)

    private let entries = Mutex<[Key: Entry]>([:])
    // Time since the cache was made, on the injected clock.
    private let elapsed: @Sendable () -> Duration

    /// Creates an empty cache on `clock`.
    init(clock: some Clock<Duration>) {
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
    }

    /// The cached token for `key`, or the result of `fetch` (shared with every concurrent caller).
    /// - Throws: what `fetch` throws; a failed fetch is not cached, so the next call tries again.
    func token(
        for key: Key, fetch: @escaping @Sendable () async throws -> ServiceAccount.AccessToken
    ) async throws -> Secret {
        let lookup: Lookup = entries.withLock { entries in
            let now = elapsed()
            switch entries[key] {
            case .ready(let cached) where now < cached.refreshAt:
                return .cached(cached.token)
            case .refreshing(let task):
                return .wait(task)
            case .ready, nil:
                // A task, not the first caller, runs the exchange: a caller that is cancelled
                // must not fail the others waiting for the same token.
                let task = Task { try await self.refresh(key, started: now, fetch: fetch) }
                entries[key] = .refreshing(task)
                return .wait(task)
            }
        }
        switch lookup {
        case .cached(let token): return token
        case .wait(let task): return try await task.value.token
        }
    }

    private enum Lookup {
        case cached(Secret)
        case wait(Task<Cached, any Error>)
    }

    private func refresh(
        _ key: Key, started: Duration, fetch: @Sendable () async throws -> ServiceAccount.AccessToken
    ) async throws -> Cached {
        do {
            let fetched = try await fetch()
            // The lifetime counts from before the request, so the token is never kept too long.
            let cached = Cached(token: fetched.value, refreshAt: started + fetched.lifetime - Self.margin)
            entries.withLock { $0[key] = .ready(cached) }
            return cached
        } catch {
            entries.withLock { entries in
                if case .refreshing = entries[key] { entries[key] = nil }
            }
            throw error
        }
    }
}
