import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The keep-alive connections of a ``NIOHTTPTransport`` on one event loop, per origin.
///
/// Every method runs on ``loop``; its state sits in a loop-bound box, so there is no lock. Idle
/// connections are reused last in, first out (the warmest first) and closed after the idle timeout;
/// at most `maxConnections` are open per origin, and requests beyond that wait first in, first out.
final class UpstreamConnectionPool: Sendable {
    struct Settings: Sendable {
        var connectTimeout: TimeAmount
        var idleTimeout: TimeAmount
        var maxConnections: Int
        var tls: Result<NIOSSLContext, GatewayError>
    }

    private final class HostPool {
        var idle: [UpstreamConnection] = []
        var open = 0
        var waiters = CircularBuffer<UpstreamExchange>()

        /// The first waiter still waiting; waiters that timed out or were cancelled are skipped here.
        func nextWaiter() -> UpstreamExchange? {
            while let waiter = waiters.popFirst() {
                if waiter.isWaiting { return waiter }
            }
            return nil
        }
    }

    private final class State {
        var hosts: [UpstreamURL.Origin: HostPool] = [:]
        var connections: [ObjectIdentifier: UpstreamConnection] = [:]
        var isShutDown = false

        func host(_ origin: UpstreamURL.Origin) -> HostPool {
            if let host = hosts[origin] { return host }
            let host = HostPool()
            hosts[origin] = host
            return host
        }
    }

    let loop: any EventLoop
    private let settings: Settings
    private let state: NIOLoopBoundBox<State>

    init(loop: any EventLoop, settings: Settings) {
        self.loop = loop
        self.settings = settings
        self.state = NIOLoopBoundBox.makeBoxSendingValue(State(), eventLoop: loop)
    }

    /// Hands `exchange` a connection now, opens one for it, or queues it. A `fresh` exchange (a
    /// retry) skips idle connections while a new one may be opened.
    func acquire(_ exchange: UpstreamExchange, fresh: Bool) {
        let state = self.state.value
        guard !state.isShutDown else {
            exchange.connectFailed(GatewayError(.upstream, "the transport is shut down"))
            return
        }
        let host = state.host(exchange.origin)
        let mayOpen = host.open < settings.maxConnections
        if !(fresh && mayOpen), let connection = host.idle.popLast() {
            connection.idleTimer?.cancel()
            connection.idleTimer = nil
            exchange.run(on: connection)
        } else if mayOpen {
            connect(for: exchange, host: host)
        } else {
            host.waiters.append(exchange)
        }
    }

    /// Takes back a connection whose response is complete: the next waiter gets it, or it idles.
    func release(_ connection: UpstreamConnection) {
        let state = self.state.value
        guard !state.isShutDown, connection.isOpen else {
            connection.close()
            return
        }
        let host = state.host(connection.origin)
        if let waiter = host.nextWaiter() {
            waiter.run(on: connection)
            return
        }
        host.idle.append(connection)
        connection.idleTimer = loop.assumeIsolated().scheduleTask(in: settings.idleTimeout) {
            connection.close()
        }
    }

    /// Forgets a closed connection; a waiter may then open one in its place.
    func connectionClosed(_ connection: UpstreamConnection) {
        let state = self.state.value
        guard state.connections.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
        let host = state.host(connection.origin)
        host.open -= 1
        if let index = host.idle.lastIndex(where: { $0 === connection }) { host.idle.remove(at: index) }
        if !state.isShutDown, host.open < settings.maxConnections, let waiter = host.nextWaiter() {
            connect(for: waiter, host: host)
        }
    }

    /// Closes every connection and fails every waiter; later requests fail.
    func shutdown() -> EventLoopFuture<Void> {
        let state = self.state.value
        state.isShutDown = true
        for host in state.hosts.values {
            while let waiter = host.nextWaiter() {
                waiter.connectFailed(GatewayError(.upstream, "the transport is shut down"))
            }
        }
        let closing = state.connections.values.compactMap { connection -> EventLoopFuture<Void>? in
            let closed = connection.closeFuture
            connection.close()
            return closed
        }
        return EventLoopFuture.andAllComplete(closing, on: loop)
    }

    /// The open and idle connections to `origin`, for tests.
    func connectionCounts(for origin: UpstreamURL.Origin) -> (open: Int, idle: Int) {
        guard let host = state.value.hosts[origin] else { return (0, 0) }
        return (host.open, host.idle.count)
    }

    // MARK: Connecting

    private func connect(for exchange: UpstreamExchange, host: HostPool) {
        host.open += 1
        let origin = exchange.origin
        makeChannel(origin).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel):
                self.connected(channel, for: exchange, host: host)
            case .failure(let error):
                self.connectFailed(exchange, host: host, error: error)
            }
        }
    }

    /// Gives up the slot of a connection that never opened; the next waiter may try its own.
    private func connectFailed(_ exchange: UpstreamExchange, host: HostPool, error: any Error) {
        host.open -= 1
        exchange.connectFailed(error)
        if let waiter = host.nextWaiter() { acquire(waiter, fresh: false) }
    }

    private func connected(_ channel: any Channel, for exchange: UpstreamExchange, host: HostPool) {
        guard let connection = try? channel.pipeline.syncOperations.handler(type: UpstreamConnection.self),
            connection.isOpen
        else {
            // Closed between connecting and now: treat it as a failed connect.
            connectFailed(exchange, host: host, error: ChannelError.ioOnClosedChannel)
            return
        }
        state.value.connections[ObjectIdentifier(connection)] = connection
        if state.value.isShutDown {
            connection.close()
            exchange.connectFailed(GatewayError(.upstream, "the transport is shut down"))
        } else if exchange.isWaiting {
            exchange.run(on: connection)
        } else {
            release(connection)
        }
    }

    private func makeChannel(_ origin: UpstreamURL.Origin) -> EventLoopFuture<any Channel> {
        let pool = self
        let tls = settings.tls
        let serverName = UpstreamURL.isIPAddress(origin.host) ? nil : origin.host
        return ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.autoRead, value: false)
            .connectTimeout(settings.connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if origin.isTLS {
                        let handler = try NIOSSLClientHandler(context: tls.get(), serverHostname: serverName)
                        try pipeline.addHandler(handler)
                    }
                    try pipeline.addHTTPClientHandlers(leftOverBytesStrategy: .forwardBytes)
                    try pipeline.addHandler(UpstreamConnection(origin: origin, pool: pool))
                }
            }
            .connect(host: origin.host, port: origin.port)
    }
}
