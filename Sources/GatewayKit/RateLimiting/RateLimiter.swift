/// What a rate limit is counted against: by default one key per endpoint, so every gateway
/// instance sharing a limiter shares the endpoint's window.
public struct RateLimitKey: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The key for an endpoint's limit.
    public static func endpoint(_ slug: Endpoint.Slug) -> RateLimitKey {
        RateLimitKey(rawValue: "endpoint:" + slug.rawValue)
    }
}

/// A limiter's answer.
public struct RateLimitDecision: Sendable, Hashable {
    /// Whether the request may proceed; if so, it has been counted.
    public var allowed: Bool
    /// The limit it was decided against.
    public var limit: Int
    /// How many more requests the window allows now.
    public var remaining: Int
    /// When denied, how long until the oldest counted request leaves the window and a slot frees.
    public var retryAfter: Duration?

    /// Creates a decision.
    public init(allowed: Bool, limit: Int, remaining: Int, retryAfter: Duration?) {
        self.allowed = allowed
        self.limit = limit
        self.remaining = remaining
        self.retryAfter = retryAfter
    }
}

/// Decides whether a request fits a limit of `limit` requests per sliding `window`.
///
/// A sliding window resets continuously: a request is allowed when fewer than `limit` requests
/// were allowed in the `window` before it, never on a clock boundary. Conforming types must be
/// safe to call concurrently and exact under concurrency.
public protocol RateLimiter: Sendable {
    /// Counts a request against `key` if it fits, and says whether it did.
    /// - Parameters:
    ///   - key: what the limit is counted against.
    ///   - limit: the most requests per window; at least 1.
    ///   - window: the window's length.
    /// - Throws: only for a misconfigured limiter; an unreachable backend should degrade, not throw.
    func acquire(_ key: RateLimitKey, limit: Int, window: Duration) async throws -> RateLimitDecision
}
