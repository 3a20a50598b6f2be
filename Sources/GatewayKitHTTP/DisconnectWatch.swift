import NIOConcurrencyHelpers
import NIOCore

/// Runs work that must stop when the client goes away: a pipeline handler watches the connection
/// for the client closing it, and cancels the work at once. With a ``GatewayConnectionHandler`` on
/// the connection that handler does it; otherwise one is added for the duration of the work.
///
/// Hummingbird's `consumeWithCancellationOnInboundClose` watches by reading the request stream,
/// which ends the connection's request stream when the work finishes; this watcher only observes
/// channel events, so the connection stays usable for the client's next request.
enum DisconnectWatch {
    /// Runs `operation`, cancelling it if the connection closes first.
    /// - Parameters:
    ///   - channel: the connection; `nil` runs `operation` unwatched.
    ///   - operation: the work.
    /// - Returns: what `operation` returns.
    /// - Throws: what `operation` throws; `CancellationError` when the client went away.
    @concurrent
    static func run<T: Sendable>(
        on channel: (any Channel)?, _ operation: @concurrent () async throws -> T
    ) async throws -> T {
        guard let channel else { return try await operation() }
        if let handler = GatewayConnectionHandler.installed(on: channel) {
            return try await handler.watch(operation)
        }
        let (closed, closedContinuation) = AsyncStream<Void>.makeStream()
        let watcher = DisconnectWatcher { closedContinuation.finish() }
        do {
            try await channel.pipeline.addHandler(watcher, position: .first).get()
        } catch {
            // The connection is already closing; nobody is left to answer.
            throw CancellationError()
        }
        defer {
            closedContinuation.finish()
            channel.pipeline.removeHandler(watcher, promise: nil)
        }
        if !channel.isActive { throw CancellationError() }
        return try await withoutActuallyEscaping(operation) { operation in
            // The closure is called exactly once, by one child task, while this task waits for
            // that child in the group below; no two tasks ever touch it.
            nonisolated(unsafe) let work = operation
            return try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
                group.addTask {
                    for await _ in closed {}
                    return .closed
                }
                group.addTask { .finished(try await work()) }
                while let outcome = try await group.next() {
                    switch outcome {
                    case .finished(let value):
                        group.cancelAll()
                        return value
                    case .closed:
                        // Closed because the client left, or because the work finished: cancelling
                        // is right either way and a no-op in the second case.
                        group.cancelAll()
                    }
                }
                throw CancellationError()
            }
        }
    }

    private enum Outcome<T: Sendable>: Sendable {
        case finished(T)
        case closed
    }
}

/// Calls `onClose` once when the client closes its side of the connection or the connection dies.
private final class DisconnectWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let onClose: NIOLockedValueBox<(@Sendable () -> Void)?>

    init(onClose: @escaping @Sendable () -> Void) {
        self.onClose = NIOLockedValueBox(onClose)
    }

    private func fire() {
        let callback = onClose.withLockedValue { callback in
            defer { callback = nil }
            return callback
        }
        callback?()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { fire() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fire()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        onClose.withLockedValue { $0 = nil }
    }
}
