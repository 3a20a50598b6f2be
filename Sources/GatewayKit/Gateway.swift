#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import Logging
public import ServiceLifecycle

/// The facade: a store, a live configuration snapshot, a rate limiter, providers and a router,
/// in one object to hold.
///
/// ```swift
/// let gateway = try await Gateway(store: InMemoryGatewayStore(), masterKey: masterKey)
/// let key = try await gateway.keys.create(.init(name: "OpenAI", provider: .openai, secret: openAIKey), by: .admin)
/// try await gateway.endpoints.create(.init(name: "Production GPT-4o", model: "openai/gpt-4o", apiKeyID: key.id), by: .admin)
/// let reply = try await gateway.router.complete(slug: "production-gpt-4o", request: .init(messages: [.user("Hi")]), as: .admin)
/// ```
///
/// Every write through ``endpoints``, ``keys``, ``tokens`` and ``guardrails`` updates the router at once; the
/// request path reads only the in-memory snapshot, never the store. Run the gateway as a
/// `Service` (``run()``) to pick up changes other instances make and to record key usage.
public final class Gateway: Sendable, Service {
    /// How a gateway is put together.
    public struct Configuration: Sendable {
        /// The rate limiter; defaults to an in-memory sliding window.
        public var limiter: any RateLimiter
        /// The HTTP transport to providers; defaults to AsyncHTTPClient's shared client.
        public var transport: any HTTPTransport
        /// Which code serves each provider.
        public var providers: ProviderRegistry
        /// Where the gateway logs; nothing by default (a library does not pick your logging).
        public var logger: Logger
        /// The clock for stored timestamps.
        public var now: @Sendable () -> Date
        /// How often ``run()`` writes API keys' last-used times to the store.
        public var keyUsageFlushInterval: Duration
        /// In-process guardrails, run on every endpoint after its stored rules.
        public var guardrails: [any Guardrail]
        /// Where usage records go and how they are batched and kept; nothing is recorded by default.
        public var usage: UsageAccounting

        /// Creates a configuration; every setting has a default.
        /// - Parameters:
        ///   - limiter: the rate limiter.
        ///   - transport: the HTTP transport to providers.
        ///   - providers: which code serves each provider.
        ///   - logger: where the gateway logs.
        ///   - now: the clock for stored timestamps.
        ///   - keyUsageFlushInterval: how often API keys' last-used times are written.
        ///   - guardrails: in-process guardrails run on every endpoint.
        ///   - usage: where usage records go, and how they are batched and kept.
        public init(
            limiter: any RateLimiter = InMemoryRateLimiter(), transport: any HTTPTransport = HTTPClientTransport(),
            providers: ProviderRegistry = .standard,
            logger: Logger = Logger(label: "gatewaykit", factory: { _ in SwiftLogNoOpLogHandler() }),
            now: @escaping @Sendable () -> Date = { Date() }, keyUsageFlushInterval: Duration = .seconds(30),
            guardrails: [any Guardrail] = [],
            usage: UsageAccounting = .init()
        ) {
            self.limiter = limiter
            self.transport = transport
            self.providers = providers
            self.logger = logger
            self.now = now
            self.keyUsageFlushInterval = keyUsageFlushInterval
            self.guardrails = guardrails
            self.usage = usage
        }
    }

    /// Sends chat requests to endpoints.
    public let router: Router
    /// Endpoint management.
    public let endpoints: EndpointManager
    /// Upstream API key management (Admin only).
    public let keys: APIKeyManager
    /// Caller access tokens (Admin only, except authentication).
    public let tokens: AccessTokenManager
    /// Guardrail rule management (every role reads; Admins and Editors write).
    public let guardrails: GuardrailManager
    /// Usage records: aggregates for Admins and Auditors, and writing the buffer.
    public let usage: UsageManager

    let store: any GatewayStore
    // Subscribed before the first load, so no change between the load and run() is missed.
    let changes: AsyncStream<StoreChange>
    let writer: ConfigWriter
    let keyUsage: KeyUsageTracker
    let configuration: Configuration

    /// Opens a gateway on `store`: loads the configuration and opens every stored secret.
    /// - Parameters:
    ///   - store: where the configuration lives.
    ///   - masterKey: the secret sealing API keys; any string of at least 32 characters.
    ///   - previousMasterKeys: older master keys still able to open stored secrets.
    ///   - configuration: limiter, transport, providers, logger.
    /// - Throws: `GatewayError` `invalidRequest` for a short master key; `internal` naming the keys
    ///   whose secrets the master key cannot open; `storageUnavailable`.
    public init(
        store: any GatewayStore, masterKey: String, previousMasterKeys: [String] = [],
        configuration: Configuration = .init()
    ) async throws {
        let sealer = try SecretSealer(current: Secret(masterKey), previous: previousMasterKeys.map(Secret.init))
        let changes = store.changes()
        let contents = try await store.load()
        let live = LiveConfiguration(try ConfigSnapshot(contents, sealer: sealer))
        let keyUsage = KeyUsageTracker()
        let writer = ConfigWriter(
            store: store, live: live, sealer: sealer, registry: configuration.providers, now: configuration.now
        )
        self.store = store
        self.changes = changes
        self.writer = writer
        self.keyUsage = keyUsage
        self.configuration = configuration
        self.endpoints = EndpointManager(writer: writer, live: live)
        self.keys = APIKeyManager(writer: writer, live: live, usage: keyUsage)
        self.tokens = AccessTokenManager(writer: writer, live: live)
        self.guardrails = GuardrailManager(writer: writer, live: live)
        let usageBuffer = configuration.usage.sink == nil ? nil : UsageBuffer(settings: configuration.usage)
        self.usage = UsageManager(buffer: usageBuffer, logger: configuration.logger, now: configuration.now)
        self.router = Router(
            core: RouterCore(
                live: live, limiter: configuration.limiter, transport: configuration.transport,
                registry: configuration.providers, keyUsage: keyUsage, logger: configuration.logger,
                now: configuration.now, maxResponseBytes: 32 << 20, guardrails: configuration.guardrails,
                usage: usageBuffer
            )
        )
    }

    /// Reloads the whole configuration from the store.
    /// - Throws: `GatewayError` `storageUnavailable`, or `internal` for secrets that cannot be opened.
    public func reload() async throws {
        try await writer.reload()
    }

    /// Follows the store's change feed, reloading the snapshot on every change another instance
    /// makes (a reload that fails is tried again until it succeeds), and writes API keys'
    /// last-used times to the store now and then. Returns when the task is cancelled or the
    /// service group shuts down. Run it once per gateway.
    ///
    /// With a usage sink configured (``Configuration/usage``), it also writes usage records in
    /// batches, deletes records older than the retention, and writes what is left on the way out.
    public func run() async throws {
        let (stop, stopper) = AsyncStream.makeStream(of: Void.self)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.followChanges() }
                group.addTask { await self.flushKeyUsagePeriodically() }
                if usage.buffer != nil { group.addTask { await self.usage.run() } }
                // Ends on graceful shutdown or cancellation; whichever child ends first stops the rest.
                group.addTask { for await _ in stop {} }
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            stopper.finish()
        }
        await flushKeyUsage()
        await usage.flush()
    }

    private func followChanges() async {
        for await _ in changes {
            await reloadUntilItSucceeds()
        }
    }

    // A failed reload is tried again, with doubling pauses, until it succeeds: the change it was
    // for may be the last one for a long time, and the snapshot must not stay behind the store.
    private func reloadUntilItSucceeds() async {
        var delay = Duration.milliseconds(100)
        while true {
            do {
                try await writer.reload()
                return
            } catch {
                configuration.logger.info(
                    "configuration reload failed; retrying",
                    metadata: ["gateway.error": "\(error)", "gateway.retry_in": "\(delay)"])
            }
            do {
                try await Task.sleep(for: delay)
            } catch {
                return
            }
            delay = min(delay * 2, .seconds(5))
        }
    }

    private func flushKeyUsagePeriodically() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.keyUsageFlushInterval)
            await flushKeyUsage()
        }
    }

    /// Writes the API keys' last-used times gathered since the last flush.
    func flushKeyUsage() async {
        let uses = keyUsage.drain()
        guard !uses.isEmpty else { return }
        do {
            try await store.recordAPIKeyUse(uses)
        } catch {
            configuration.logger.info("recording API key use failed", metadata: ["gateway.error": "\(error)"])
        }
    }
}
