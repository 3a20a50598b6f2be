import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Bridges one AsyncHTTPClient request to a head continuation and a back-pressured body sequence,
/// and enforces the idle timeout with a single event-loop timer that is re-armed lazily: a body
/// piece only records the time, and the timer, when it fires early, sleeps again until the new due
/// time. Time spent with the consumer not asking for more does not count.
final class StreamingResponseDelegate: HTTPClientResponseDelegate, NIOAsyncSequenceProducerDelegate, Sendable {
    typealias Response = Void
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, StreamingResponseDelegate
    >

    private enum Phase {
        case idle
        case waitingForHead(CheckedContinuation<HTTPResponseHead, any Error>)
        case streaming
        case done
    }

    private struct State {
        var phase = Phase.idle
        var source: Producer.Source?
        var task: HTTPClient.Task<Void>?
        var timer: Scheduled<Void>?
        var isCancelled = false
        var lastActivity = NIODeadline.now()
        // The promise AsyncHTTPClient waits on while the consumer has enough buffered.
        var pendingDemand: EventLoopPromise<Void>?
        var demandArrivedEarly = false
        var isPaused = false
    }

    private let idleTimeout: TimeAmount
    private let state = NIOLockedValueBox(State())

    init(idleTimeout: TimeAmount) {
        self.idleTimeout = idleTimeout
    }

    /// The body sequence; call once, before ``start(_:execute:)``.
    func makeBody() -> UpstreamBody {
        let producer = Producer.makeSequence(
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8), finishOnDeinit: true, delegate: self
        )
        state.withLockedValue { $0.source = producer.source }
        return UpstreamBody(producer.sequence)
    }

    /// Starts the request unless already cancelled; `continuation` gets the head or the failure.
    func start(
        _ continuation: CheckedContinuation<HTTPResponseHead, any Error>, execute: () -> HTTPClient.Task<Void>
    ) {
        let proceed = state.withLockedValue { state -> Bool in
            guard !state.isCancelled else { return false }
            state.phase = .waitingForHead(continuation)
            state.lastActivity = .now()
            return true
        }
        guard proceed else {
            continuation.resume(throwing: CancellationError())
            return
        }
        let task = execute()
        let cancelNow = state.withLockedValue { state -> Bool in
            state.task = task
            return state.isCancelled
        }
        if cancelNow { task.cancel() }
        armTimer(at: .now() + idleTimeout, on: task.eventLoop)
    }

    /// Cancels the request; used when the task awaiting the head is cancelled.
    func cancel() {
        let task = state.withLockedValue { state -> HTTPClient.Task<Void>? in
            state.isCancelled = true
            return state.task
        }
        task?.cancel()
    }

    // MARK: Idle timer

    private func armTimer(at deadline: NIODeadline, on eventLoop: any EventLoop) {
        let timer = eventLoop.scheduleTask(deadline: deadline) { self.timerFired(on: eventLoop) }
        let stale = state.withLockedValue { state -> Bool in
            if case .done = state.phase { return true }
            state.timer = timer
            return false
        }
        if stale { timer.cancel() }
    }

    private enum TimerDecision {
        case ignore
        case rearm(NIODeadline)
        case expire(HTTPClient.Task<Void>?)
    }

    private func timerFired(on eventLoop: any EventLoop) {
        let now = NIODeadline.now()
        let decision = state.withLockedValue { state -> TimerDecision in
            state.timer = nil
            if case .done = state.phase { return .ignore }
            if state.isPaused { return .rearm(now + idleTimeout) }
            let due = state.lastActivity + idleTimeout
            return due > now ? .rearm(due) : .expire(state.task)
        }
        switch decision {
        case .ignore: break
        case .rearm(let deadline): armTimer(at: deadline, on: eventLoop)
        case .expire(let task):
            task?.fail(reason: GatewayError(.upstreamTimeout, "the provider did not answer in time"))
        }
    }

    // MARK: HTTPClientResponseDelegate

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let continuation = state.withLockedValue { state -> CheckedContinuation<HTTPResponseHead, any Error>? in
            guard case .waitingForHead(let continuation) = state.phase else { return nil }
            state.phase = .streaming
            state.lastActivity = .now()
            return continuation
        }
        continuation?.resume(returning: head)
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let source = state.withLockedValue { state -> Producer.Source? in
            state.lastActivity = .now()
            return state.source
        }
        guard let source, source.yield(buffer) == .stopProducing else {
            return task.eventLoop.makeSucceededVoidFuture()
        }
        let promise = task.eventLoop.makePromise(of: Void.self)
        let demanded = state.withLockedValue { state -> Bool in
            if state.demandArrivedEarly {
                state.demandArrivedEarly = false
                return true
            }
            state.pendingDemand = promise
            state.isPaused = true
            return false
        }
        if demanded { promise.succeed() }
        return promise.futureResult
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {
        let failure = HTTPClientTransport.classify(error)
        let (continuation, source) = finish()
        continuation?.resume(throwing: failure)
        source?.finish(failure)
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        let (continuation, source) = finish()
        // A request that ends before its head was seen cannot happen; fail safe all the same.
        continuation?.resume(throwing: GatewayError(.upstream, "the provider closed the response without a head"))
        source?.finish()
    }

    /// Moves to `done`, stops the timer and releases AsyncHTTPClient if it waits for demand.
    private func finish() -> (CheckedContinuation<HTTPResponseHead, any Error>?, Producer.Source?) {
        let (continuation, source, timer, demand) = state.withLockedValue { state in
            var continuation: CheckedContinuation<HTTPResponseHead, any Error>?
            if case .waitingForHead(let waiting) = state.phase { continuation = waiting }
            state.phase = .done
            defer {
                state.source = nil
                state.timer = nil
                state.pendingDemand = nil
            }
            return (continuation, state.source, state.timer, state.pendingDemand)
        }
        timer?.cancel()
        demand?.succeed()
        return (continuation, source)
    }

    // MARK: NIOAsyncSequenceProducerDelegate

    func produceMore() {
        let promise = state.withLockedValue { state -> EventLoopPromise<Void>? in
            state.isPaused = false
            state.lastActivity = .now()
            guard let promise = state.pendingDemand else {
                state.demandArrivedEarly = true
                return nil
            }
            state.pendingDemand = nil
            return promise
        }
        promise?.succeed()
    }

    func didTerminate() {
        let task = state.withLockedValue { state -> HTTPClient.Task<Void>? in
            state.isCancelled = true
            return state.task
        }
        task?.cancel()
        _ = finish()
    }
}
