/// How a gateway records usage: where records go, the prices it costs them with, and how it
/// batches and keeps them. Set it as `Gateway.Configuration.usage`.
///
/// The router appends one ``UsageRecord`` per request to an in-memory buffer (a lock, no I/O, no
/// task); `Gateway.run()` writes the buffer to ``sink`` every ``flushInterval`` or as soon as
/// ``batchSize`` records wait, and on shutdown. When ``maxBufferedRecords`` wait (the sink is
/// slow or down), new records are dropped, counted in `gatewaykit_usage_dropped_total` and
/// logged; a request never waits for usage.
///
/// ```swift
/// let store = try SQLiteGatewayStore(path: "gateway.sqlite")
/// let gateway = try await Gateway(
///     store: store, masterKey: masterKey, configuration: .init(usage: .init(sink: store, retention: .seconds(30 * 86_400))))
/// ```
public struct UsageAccounting: Sendable {
    /// Where records are written; `nil` records nothing.
    public var sink: (any UsageSink)?
    /// The prices records are costed with.
    public var catalog: ModelCatalog
    /// How often buffered records are written.
    public var flushInterval: Duration
    /// The most records written in one call to the sink; this many waiting also starts a write.
    public var batchSize: Int
    /// The most records buffered; more are dropped.
    public var maxBufferedRecords: Int
    /// How long records are kept when the sink is a ``UsageStore``; `nil` keeps them forever.
    public var retention: Duration?
    /// How often records older than ``retention`` are deleted.
    public var pruneInterval: Duration

    /// Creates the settings.
    /// - Parameters:
    ///   - sink: where records go; `nil` (the default) records nothing.
    ///   - catalog: the prices; the built-in catalog by default.
    ///   - flushInterval: how often to write; 1 second by default.
    ///   - batchSize: records per write; 500 by default.
    ///   - maxBufferedRecords: the buffer's limit; 100 000 by default.
    ///   - retention: how long to keep records; 30 days by default.
    ///   - pruneInterval: how often to delete old records; hourly by default.
    public init(
        sink: (any UsageSink)? = nil, catalog: ModelCatalog = .builtIn, flushInterval: Duration = .seconds(1),
        batchSize: Int = 500, maxBufferedRecords: Int = 100_000, retention: Duration? = .seconds(30 * 86_400),
        pruneInterval: Duration = .seconds(3_600)
    ) {
        self.sink = sink
        self.catalog = catalog
        self.flushInterval = flushInterval
        self.batchSize = max(1, batchSize)
        self.maxBufferedRecords = max(1, maxBufferedRecords)
        self.retention = retention
        self.pruneInterval = pruneInterval
    }
}
