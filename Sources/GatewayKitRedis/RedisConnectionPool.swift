import NIOCore
import NIOPosix
import Synchronization

/// A few blocking hiredis connections served by dedicated threads.
///
/// hiredis blocks its caller, so every call runs on the pool's own `NIOThreadPool`, never on
/// Swift's cooperative pool. There are as many threads as connections, so a connection is used
/// by one thread at a time. A broken connection is dropped and a new one is opened on next use.
final class RedisConnectionPool: Sendable {
    private let configuration: RedisRateLimiter.Configuration
    private let threadPool: NIOThreadPool
    private let timerLoop: any EventLoop
    private let idle = Mutex<[RedisConnection]>([])

    init(configuration: RedisRateLimiter.Configuration) {
        self.configuration = configuration
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.poolSize)
        // Deadlines are timers on a shared event loop: scheduling one never blocks.
        self.timerLoop = MultiThreadedEventLoopGroup.singleton.any()
        threadPool.start()
    }

    /// Runs `body` with a connection on a pool thread, and gives up at `timeout`.
    ///
    /// The wait for a free thread counts against the timeout too. A call that times out keeps
    /// running on its thread until the socket timeout ends it, but its caller has moved on.
    func run<Value: Sendable>(
        timeout: Duration,
        _ body: @escaping @Sendable (RedisConnection) throws(RedisFailure) -> Value
    ) async -> Result<Value, RedisFailure> {
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        return await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            let timer = timerLoop.scheduleTask(deadline: deadline) {
                once.resume(.failure(.timedOut))
            }
            threadPool.submit { state in
                defer { timer.cancel() }
                guard case .active = state else {
                    once.resume(.failure(.shutDown))
                    return
                }
                // Skip a call whose caller has already given up while it queued.
                guard NIODeadline.now() < deadline else {
                    once.resume(.failure(.timedOut))
                    return
                }
                once.resume(self.withConnection(deadline: deadline, body))
            }
        }
    }

    /// Closes the idle connections and stops the threads.
    func shutdown() async {
        try? await threadPool.shutdownGracefully()
        idle.withLock { $0.removeAll() }
    }

    // Runs on a pool thread. A reused connection may have gone stale (the server restarted or
    // closed it while idle): when it fails that way, one fresh connection is tried before giving up.
    private func withConnection<Value>(
        deadline: NIODeadline,
        _ body: (RedisConnection) throws(RedisFailure) -> Value
    ) -> Result<Value, RedisFailure> {
        if let reused = idle.withLock({ $0.popLast() }) {
            let result = call(body, on: reused)
            guard case .failure(.connection) = result, NIODeadline.now() < deadline else { return result }
        }
        do {
            return call(body, on: try RedisConnection.open(configuration))
        } catch {
            return .failure(error)
        }
    }

    private func call<Value>(
        _ body: (RedisConnection) throws(RedisFailure) -> Value,
        on connection: RedisConnection
    ) -> Result<Value, RedisFailure> {
        let result: Result<Value, RedisFailure>
        do {
            result = .success(try body(connection))
        } catch {
            result = .failure(error)
        }
        if !connection.isBroken {
            idle.withLock { $0.append(connection) }
        }
        return result
    }
}

/// A continuation that the first of several racing callers resumes; later calls do nothing.
private final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: Value) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
