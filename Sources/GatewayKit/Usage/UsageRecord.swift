#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What one request through the router used and cost: one record per request, whether it
/// succeeded, failed, fell back, was blocked or was streamed.
///
/// A record never holds the caller's token, only its id and role, and never a message.
public struct UsageRecord: Sendable, Hashable, Identifiable {
    /// How a request ended: ``ok``, or the `GatewayError` code it failed with (`upstream_timeout`,
    /// `guardrail_blocked`, …), or ``cancelled`` when the caller went away first.
    public struct Status: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The stored text.
        public var rawValue: String
        /// Wraps a stored status.
        /// - Parameter rawValue: the stored text.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The status of a request that failed with `code`.
        /// - Parameter code: the error code.
        public init(_ code: GatewayError.Code) { self.rawValue = code.rawValue }
        /// The stored text.
        public var description: String { rawValue }

        /// The request was answered.
        public static let ok = Status(rawValue: "ok")
        /// The caller cancelled the request (or stopped reading the stream) before it ended.
        public static let cancelled = Status(rawValue: "cancelled")

        /// Whether the request counts as an error in summaries: anything but ``ok``.
        public var isError: Bool { self != .ok }
    }

    /// A random identifier.
    public var id: UUID
    /// When the request ended.
    public var time: Date
    /// The endpoint the caller asked for.
    public var endpoint: Endpoint.Slug
    /// The endpoint that answered, or the last one tried when none did; `nil` when none was tried.
    public var servedBy: Endpoint.Slug?
    /// The provider of ``model``.
    public var provider: Provider?
    /// The model that answered, or the last one tried when none did.
    public var model: ModelRef?
    /// The access token the caller authenticated with; `nil` for in-process callers.
    public var tokenID: AccessToken.ID?
    /// The caller's role.
    public var role: Role
    /// Prompt tokens, as the provider reported them (0 when it did not).
    public var promptTokens: Int
    /// Completion tokens, as the provider reported them (0 when it did not).
    public var completionTokens: Int
    /// The cost in US dollars from the model catalog's prices; 0 when ``unpriced``.
    public var costUSD: Decimal
    /// Whether the catalog had no price for ``model`` (so ``costUSD`` is 0 without meaning free).
    public var unpriced: Bool
    /// The whole request, as the caller waited for it. Stores keep microseconds.
    public var latency: Duration
    /// Time spent in the gateway: ``latency`` minus the time spent waiting for providers.
    public var overhead: Duration
    /// Whether an endpoint other than ``endpoint`` answered or was tried.
    public var usedFallback: Bool
    /// How it ended.
    public var status: Status
    /// Whether the answer was streamed.
    public var stream: Bool

    /// Creates a record.
    /// - Parameters:
    ///   - id: the identifier; random by default.
    ///   - time: when the request ended.
    ///   - endpoint: the endpoint asked for.
    ///   - servedBy: the endpoint that answered or was tried last.
    ///   - model: the model that answered or was tried last; its provider becomes ``provider``.
    ///   - tokenID: the caller's access token id.
    ///   - role: the caller's role.
    ///   - promptTokens: prompt tokens.
    ///   - completionTokens: completion tokens.
    ///   - costUSD: the cost in US dollars.
    ///   - unpriced: whether the model had no price.
    ///   - latency: the whole request's duration.
    ///   - overhead: the gateway's share of it.
    ///   - usedFallback: whether a fallback was used.
    ///   - status: how it ended.
    ///   - stream: whether it was streamed.
    public init(
        id: UUID = UUID(), time: Date, endpoint: Endpoint.Slug, servedBy: Endpoint.Slug? = nil, model: ModelRef? = nil,
        tokenID: AccessToken.ID? = nil, role: Role, promptTokens: Int = 0, completionTokens: Int = 0,
        costUSD: Decimal = 0, unpriced: Bool = false, latency: Duration, overhead: Duration = .zero,
        usedFallback: Bool = false, status: Status = .ok, stream: Bool = false
    ) {
        self.id = id
        self.time = time
        self.endpoint = endpoint
        self.servedBy = servedBy
        self.provider = model?.provider
        self.model = model
        self.tokenID = tokenID
        self.role = role
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costUSD = costUSD
        self.unpriced = unpriced
        self.latency = latency
        self.overhead = overhead
        self.usedFallback = usedFallback
        self.status = status
        self.stream = stream
    }
}

extension Duration {
    /// Whole microseconds, as stores keep latencies.
    package var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
