#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Where a gateway writes its ``UsageRecord``s. The gateway calls ``record(_:)`` from
/// `Gateway.run()` with batches gathered off the request path, never from a request.
public protocol UsageSink: Sendable {
    /// Keeps `records`.
    /// - Parameter records: one batch, oldest first.
    /// - Throws: `GatewayError` `storageUnavailable` when the records could not be kept; the
    ///   gateway logs the failure and drops the batch.
    func record(_ records: [UsageRecord]) async throws
}

/// A ``UsageSink`` that can also aggregate what it kept and forget old records. Every backend must
/// pass `UsageStoreConformanceSuite` from `GatewayKitTesting`.
public protocol UsageStore: UsageSink {
    /// Aggregates the records that `query` selects, one summary per endpoint or model, sorted by key.
    /// - Parameter query: the filter and the grouping.
    /// - Returns: the summaries; empty when no record matches.
    /// - Throws: `GatewayError` `storageUnavailable`.
    func summary(_ query: UsageQuery) async throws -> [UsageSummary]

    /// Deletes every record whose time is before `cutoff`.
    /// - Parameter cutoff: the oldest time kept.
    /// - Returns: how many records were deleted.
    /// - Throws: `GatewayError` `storageUnavailable`.
    func deleteUsage(before cutoff: Date) async throws -> Int
}

/// Which usage records to aggregate, and how to group them.
public struct UsageQuery: Sendable, Hashable {
    /// What each summary stands for.
    public enum Grouping: String, Sendable, Hashable, CaseIterable {
        /// One summary per endpoint asked for (``UsageRecord/endpoint``).
        case endpoint
        /// One summary per model that answered or was tried last (``UsageRecord/model``); records
        /// without a model are grouped under the empty key.
        case model
    }

    /// Only records for this endpoint (as asked for); `nil` for all.
    public var endpoint: Endpoint.Slug?
    /// Only records at or after this time.
    public var from: Date?
    /// Only records before this time.
    public var to: Date?
    /// The grouping.
    public var groupBy: Grouping

    /// Creates a query.
    /// - Parameters:
    ///   - endpoint: only this endpoint; all by default.
    ///   - from: the start, inclusive.
    ///   - to: the end, exclusive.
    ///   - groupBy: by endpoint (default) or by model.
    public init(endpoint: Endpoint.Slug? = nil, from: Date? = nil, to: Date? = nil, groupBy: Grouping = .endpoint) {
        self.endpoint = endpoint
        self.from = from
        self.to = to
        self.groupBy = groupBy
    }

    /// Reads a range bound: an ISO 8601 date-time (`2026-11-21T09:30:00Z`, fractional seconds
    /// allowed) or a date (`2026-11-21`, midnight UTC).
    /// - Parameters:
    ///   - text: the text.
    ///   - field: the parameter's name, for the error.
    /// - Returns: the moment.
    /// - Throws: `GatewayError` `invalidRequest` naming `field` when the text is neither.
    public static func date(parsing text: String, field: String) throws(GatewayError) -> Date {
        let styles = [
            Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true),
            Date.ISO8601FormatStyle().year().month().day(),
        ]
        for style in styles {
            if let date = try? style.parse(text) { return date }
        }
        throw GatewayError(
            .invalidRequest,
            "'\(field)' must be an ISO 8601 date or date-time such as 2026-11-21T09:30:00Z, not '\(text)'",
            field: field
        )
    }

    /// Whether `record` falls within the query's endpoint and time range.
    /// - Parameter record: the record.
    /// - Returns: `true` when the query selects it.
    public func selects(_ record: UsageRecord) -> Bool {
        if let endpoint, record.endpoint != endpoint { return false }
        if let from, record.time < from { return false }
        if let to, record.time >= to { return false }
        return true
    }

    /// The key `record` is grouped under: the endpoint slug, or the model string (empty when none).
    /// - Parameter record: the record.
    /// - Returns: the group key.
    public func key(of record: UsageRecord) -> String {
        switch groupBy {
        case .endpoint: record.endpoint.rawValue
        case .model: record.model?.description ?? ""
        }
    }
}

/// What the records of one endpoint or model add up to.
public struct UsageSummary: Sendable, Hashable {
    /// The endpoint slug or model string (see ``UsageQuery/Grouping``).
    public var key: String
    /// How many requests.
    public var requests: Int
    /// How many of them did not end ``UsageRecord/Status/ok``.
    public var errors: Int
    /// Prompt tokens in total.
    public var promptTokens: Int
    /// Completion tokens in total.
    public var completionTokens: Int
    /// Cost in US dollars in total.
    public var costUSD: Decimal
    /// How many requests were ``UsageRecord/unpriced``.
    public var unpricedRequests: Int
    /// The median latency (nearest rank).
    public var p50: Duration
    /// The 95th-percentile latency (nearest rank).
    public var p95: Duration
    /// The 99th-percentile latency (nearest rank).
    public var p99: Duration

    /// Creates a summary.
    /// - Parameters:
    ///   - key: the endpoint slug or model string.
    ///   - requests: the number of requests.
    ///   - errors: the number that failed.
    ///   - promptTokens: prompt tokens in total.
    ///   - completionTokens: completion tokens in total.
    ///   - costUSD: cost in total.
    ///   - unpricedRequests: the number without a price.
    ///   - p50: the median latency.
    ///   - p95: the 95th-percentile latency.
    ///   - p99: the 99th-percentile latency.
    public init(
        key: String, requests: Int, errors: Int, promptTokens: Int, completionTokens: Int, costUSD: Decimal,
        unpricedRequests: Int, p50: Duration, p95: Duration, p99: Duration
    ) {
        self.key = key
        self.requests = requests
        self.errors = errors
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costUSD = costUSD
        self.unpricedRequests = unpricedRequests
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
    }
}
