import GatewayExampleSupport
import GatewayKit
import GatewayKitHTTP
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle
import UnixSignals

/// Wires a gateway from the settings and serves it until SIGTERM or SIGINT.
struct GatewayServer {
    let settings: ServerSettings

    func run() async throws {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        LoggingSystem.bootstrap { label in LineLogHandler(label: label) }
        var logger = Logger(label: "gateway-server")
        logger.logLevel = settings.logLevel
        if GatewayServerMain.executor == .defaultPoolByChoice {
            logger.debug("Swift tasks run on Swift's default thread pool (GATEWAY_NIO_EXECUTOR=0)")
        } else if await EventLoopTakeOver.tasksRunOnEventLoops() {
            logger.debug("Swift tasks run on the event loops")
        } else {
            // Each request then wakes another thread for its task: slower, but correct.
            let cause =
                GatewayServerMain.executor == .eventLoops
                ? "the runtime's enqueue hook is set but a task ran on another thread"
                : "another global-executor hook was installed first"
            logger.warning("Swift tasks do not run on the event loops: \(cause)")
        }
        if settings.generatedMasterKey {
            logger.notice("GATEWAY_MASTER_KEY is not set; using a key generated for this process (memory store)")
        }
        let (limiter, stopLimiter) = try await RateLimiterOption.make(redisURL: settings.redisURL, logger: logger)
        // A PostgreSQL store runs beside the gateway, started before it (its schema must be ready
        // for the first load) and stopped after it (so the last key-usage times are written).
        do {
            try await settings.store.withStore(logger: logger) { store in
                try await serve(store: store, limiter: limiter, registry: registry, logger: logger)
            }
        } catch {
            await stopLimiter()
            throw error
        }
        await stopLimiter()
        Console.out("gateway-server stopped")
    }

    private func serve(
        store: any GatewayStore, limiter: any RateLimiter, registry: PrometheusCollectorRegistry, logger: Logger
    ) async throws {
        let usage = UsageAccounting(
            sink: StoreOption.usageStore(for: store), retention: .seconds(settings.usageRetentionDays * 86_400)
        )
        // The server's own upstream client by default: its pools live on the event loops the
        // routes run on, so a proxied call does not hop threads.
        let nio = settings.upstreamClient == .nio ? NIOHTTPTransport() : nil
        let gateway = try await Gateway(
            store: store, masterKey: settings.masterKey, previousMasterKeys: settings.previousMasterKeys,
            configuration: .init(limiter: limiter, transport: nio ?? HTTPClientTransport(), logger: logger, usage: usage)
        )
        try await StartupConfiguration(gateway: gateway, settings: settings, logger: logger).apply()

        let router = Router(context: BasicGatewayRequestContext.self)
        let routes = GatewayRoutes<BasicGatewayRequestContext>(
            gateway: gateway,
            configuration: .init(maxBodyBytes: settings.maxBodyBytes, metricsText: { registry.emitToString() })
        )
        routes.register(on: router)
        let host = settings.host
        let store = settings.store
        let serverName = "gateway-server"
        let chatOnConnection = settings.chatRoutes == .connection
        let handlers: @Sendable () -> [any RemovableChannelHandler] = {
            // The chat routes, the hot path, are answered on the connection before the router.
            chatOnConnection
                ? [routes.makeChatHandler(logger: logger, serverName: serverName), GatewayConnectionHandler()]
                : [GatewayConnectionHandler()]
        }
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: handlers())),
            configuration: .init(address: .hostname(host, port: settings.port), serverName: serverName),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                Console.out("gateway-server listening on http://\(host):\(port) (store: \(store))")
            },
            logger: logger
        )
        var services: [any Service] = [gateway, app]
        if let interval = settings.idleTrimInterval {
            services.append(IdleMemoryTrimmer(interval: interval, logger: logger))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        do {
            try await group.run()
        } catch {
            await nio?.shutdown()
            throw error
        }
        await nio?.shutdown()
    }
}
