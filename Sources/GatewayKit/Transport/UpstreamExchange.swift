import HTTPTypes
import NIOCore
import NIOHTTP1

/// One request of a ``NIOHTTPTransport`` from the wait for a connection to the last response byte.
///
/// Lives on its pool's event loop only, so it needs no lock. One timer enforces the timeout: a
/// deadline for the whole exchange when collecting, a deadline for the head and then an idle timeout
/// when streaming. The idle timer is re-armed lazily: a body piece only records the time, and the
/// timer, when it fires early, sleeps again until the new due time; time the consumer spends not
/// asking for more does not count.
final class UpstreamExchange {
    typealias BodyProducer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, UpstreamBodyDemand
    >

    enum Mode {
        /// `send`: collect the body up to `limit` bytes, then complete the promise.
        case collect(EventLoopPromise<UpstreamResponse>, limit: Int)
        /// `stream`: complete the promise with the head, then feed the body to the source.
        case stream(EventLoopPromise<HTTPResponseHead>, BodyProducer.Source)
    }

    private enum Phase {
        case waiting
        case running(UpstreamConnection)
        case streaming(UpstreamConnection)
        case done
    }

    let origin: UpstreamURL.Origin
    private let pool: UpstreamConnectionPool
    private let head: HTTPRequestHead
    private let body: ByteBuffer
    private var mode: Mode?
    private let timeout: TimeAmount
    private var phase = Phase.waiting
    private var hasRetried = false
    private var timer: Scheduled<Void>?
    private var responseHead: HTTPResponseHead?
    private var collected = ByteBuffer()
    private var isPaused = false
    private var lastActivity = NIODeadline.now()

    init(
        origin: UpstreamURL.Origin, pool: UpstreamConnectionPool, head: HTTPRequestHead, body: ByteBuffer, mode: Mode,
        timeout: TimeAmount
    ) {
        self.origin = origin
        self.pool = pool
        self.head = head
        self.body = body
        self.mode = mode
        self.timeout = timeout
    }

    /// Whether the exchange still waits for a connection.
    var isWaiting: Bool {
        if case .waiting = phase { return true }
        return false
    }

    /// Whether the connection should keep reading: always when collecting, on demand when streaming.
    var wantsMoreBytes: Bool { !isPaused }

    /// Arms the timeout and asks the pool for a connection.
    func start(deadline: NIODeadline) {
        armTimer(at: deadline)
        pool.acquire(self, fresh: false)
    }

    /// Sends the request over `connection`, which the pool hands over.
    func run(on connection: UpstreamConnection) {
        phase = .running(connection)
        connection.execute(self, head: head, body: body)
    }

    // MARK: Connection events

    func receiveHead(_ head: HTTPResponseHead) {
        guard case .running(let connection) = phase else { return }
        switch mode {
        case .collect:
            responseHead = head
        case .stream(let promise, _):
            phase = .streaming(connection)
            lastActivity = .now()
            promise.succeed(head)
        case nil:
            break
        }
    }

    func receiveBody(_ buffer: ByteBuffer) {
        switch mode {
        case .collect(_, let limit):
            guard collected.readableBytes + buffer.readableBytes <= limit else {
                fail(GatewayError(.upstream, "the provider's response is larger than \(limit) bytes"))
                return
            }
            if collected.readableBytes == 0 {
                collected = buffer
            } else {
                var piece = buffer
                collected.writeBuffer(&piece)
            }
        case .stream(_, let source):
            lastActivity = .now()
            if source.yield(buffer) == .stopProducing { isPaused = true }
        case nil:
            break
        }
    }

    func receiveEnd() {
        let previous = phase
        guard let mode = finish() else { return }
        switch mode {
        case .collect(let promise, _):
            guard let head = responseHead else {
                promise.fail(GatewayError(.upstream, "the provider closed the response without a head"))
                return
            }
            let response = UpstreamResponse(
                status: Int(head.status.code), headers: NIOHTTPTransport.fields(head.headers), body: collected
            )
            collected = ByteBuffer()
            promise.succeed(response)
        case .stream(let promise, let source):
            if case .running = previous {
                // An end before any head cannot happen with NIO's decoder; fail safe all the same.
                promise.fail(GatewayError(.upstream, "the provider closed the response without a head"))
            }
            source.finish()
        }
    }

    /// The connection closed or failed. A reused connection that fails before any response byte is
    /// most likely one the server closed while idle just as we wrote: retried once on a fresh one.
    func connectionFailed(_ connection: UpstreamConnection, error: any Error, beforeAnyByte: Bool) {
        guard case .running(let current) = phase, current === connection else {
            if case .streaming(let current) = phase, current === connection {
                fail(NIOHTTPTransport.classify(error))
            }
            return
        }
        if beforeAnyByte, connection.hasBeenUsed, !hasRetried {
            hasRetried = true
            phase = .waiting
            pool.acquire(self, fresh: true)
            return
        }
        fail(NIOHTTPTransport.classify(error))
    }

    /// No connection could be opened for this exchange.
    func connectFailed(_ error: any Error) {
        guard isWaiting else { return }
        fail(NIOHTTPTransport.classify(error))
    }

    // MARK: Caller events

    /// The calling task was cancelled.
    func cancel() {
        fail(CancellationError())
    }

    /// The body's consumer wants more pieces.
    func produceMore() {
        guard case .streaming(let connection) = phase else { return }
        isPaused = false
        lastActivity = .now()
        connection.read()
    }

    /// The body's consumer stopped or dropped the body: a half-read connection cannot be reused.
    func consumerTerminated() {
        fail(CancellationError())
    }

    // MARK: Ending

    /// Ends the exchange with `error`, closing its connection unless the response was complete.
    func fail(_ error: any Error) {
        let previous = phase
        guard let mode = finish() else { return }
        switch previous {
        case .running(let connection), .streaming(let connection): connection.close()
        case .waiting, .done: break
        }
        switch (mode, previous) {
        case (.collect(let promise, _), _):
            promise.fail(error)
        case (.stream(_, let source), .streaming):
            source.finish(error)
        case (.stream(let promise, let source), _):
            promise.fail(error)
            source.finish()
        }
    }

    /// Moves to `done` once, stops the timer and hands back the mode; `nil` when already done.
    /// Dropping the mode also drops the body source, which breaks the exchange's reference cycle.
    private func finish() -> Mode? {
        if case .done = phase { return nil }
        phase = .done
        timer?.cancel()
        timer = nil
        defer { self.mode = nil }
        return mode
    }

    // MARK: Timer

    private func armTimer(at deadline: NIODeadline) {
        timer = pool.loop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            self.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        let now = NIODeadline.now()
        switch phase {
        case .done:
            return
        case .streaming where isPaused:
            armTimer(at: now + timeout)
        case .streaming where lastActivity + timeout > now:
            armTimer(at: lastActivity + timeout)
        case .waiting, .running, .streaming:
            fail(GatewayError(.upstreamTimeout, "the provider did not answer in time"))
        }
    }
}

/// Forwards a streamed body's demand and termination to its exchange on the exchange's event loop.
final class UpstreamBodyDemand: NIOAsyncSequenceProducerDelegate, Sendable {
    private let loop: any EventLoop
    private let exchange: NIOLoopBoundBox<UpstreamExchange?>

    init(loop: any EventLoop, exchange: NIOLoopBoundBox<UpstreamExchange?>) {
        self.loop = loop
        self.exchange = exchange
    }

    func produceMore() {
        let exchange = self.exchange
        loop.execute { exchange.value?.produceMore() }
    }

    func didTerminate() {
        let exchange = self.exchange
        loop.execute { exchange.value?.consumerTerminated() }
    }
}
