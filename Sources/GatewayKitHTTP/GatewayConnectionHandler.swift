public import NIOCore
import Synchronization

/// Lets the gateway's routes cancel a request the moment its client goes away, at no cost per
/// request: one handler per connection, installed through Hummingbird's HTTP/1 configuration.
///
/// ```swift
/// let app = Application(
///     router: router,
///     server: .http1(configuration: .init(additionalChannelHandlers: [GatewayConnectionHandler()])),
///     configuration: .init(address: .hostname("127.0.0.1", port: 8080))
/// )
/// ```
///
/// Without it the routes behave the same, but watch each request's connection with a handler they
/// add and remove per request, which costs two event-loop round trips and two tasks per request.
public final class GatewayConnectionHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    public typealias InboundIn = Any

    private struct State {
        var closed = false
        var tasks: [Watched] = []
    }

    /// A request's task, held only while that task runs `watch(_:)` (see there).
    private struct Watched: @unchecked Sendable {
        let id: UInt64
        let task: UnsafeCurrentTask
    }

    private let state = Mutex(State())
    private let nextID = Atomic<UInt64>(0)

    /// Creates the handler; make one per connection (Hummingbird calls the closure it is given
    /// for each connection).
    public init() {}

    public func handlerAdded(context: ChannelHandlerContext) {
        // Hummingbird adds it while setting the connection up, before the channel is active; the
        // channelInactive that ends the connection follows in every case.
        Self.registry.withLock { $0[ObjectIdentifier(context.channel)] = self }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        Self.unregister(context.channel, self)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        Self.unregister(context.channel, self)
        close()
        context.fireChannelInactive()
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { close() }
        context.fireUserInboundEventTriggered(event)
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    /// Cancels every request task in flight on this connection, and any that starts later.
    private func close() {
        state.withLock { state in
            state.closed = true
            // Under the lock: a task is removed under the same lock before it leaves `watch`, so
            // every task cancelled here is still running.
            for watched in state.tasks { watched.task.cancel() }
            state.tasks.removeAll()
        }
    }

    /// Runs `operation` in the calling task, cancelling that task if the connection closes first.
    /// - Throws: what `operation` throws; `CancellationError` when the connection is already closed.
    func watch<T>(_ operation: () async throws -> T) async throws -> T {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).newValue
        let open = withUnsafeCurrentTask { task -> Bool in
            state.withLock { state in
                guard !state.closed else { return false }
                // `task` outlives this closure on purpose: it is the current task, and it is
                // removed below before this function returns, so it is only ever used while alive.
                if let task { state.tasks.append(Watched(id: id, task: task)) }
                return true
            }
        }
        guard open else { throw CancellationError() }
        defer { state.withLock { $0.tasks.removeAll { $0.id == id } } }
        return try await operation()
    }

    /// The handler installed on `channel`, if any.
    static func installed(on channel: any Channel) -> GatewayConnectionHandler? {
        registry.withLock { $0[ObjectIdentifier(channel)] }
    }

    private static func unregister(_ channel: any Channel, _ handler: GatewayConnectionHandler) {
        registry.withLock { registry in
            let key = ObjectIdentifier(channel)
            if registry[key] === handler { registry[key] = nil }
        }
    }

    // Keyed by channel identity: a route only has the channel, and reaching into the pipeline
    // would need a hop to the channel's event loop. Entries leave when the channel closes, before
    // it can be freed and its identity reused.
    private static let registry = Mutex<[ObjectIdentifier: GatewayConnectionHandler]>([:])
}
