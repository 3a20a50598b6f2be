#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension RouterCore {
    // Appends the usage record of one finished request to the buffer (no I/O, no waiting).
    // `served` is the attempt that answered or was under way (`nil`: the last attempt tried);
    // `upstream` the time spent waiting for providers (`nil`: the attempts' latencies added up).
    func recordUsage(
        _ trail: AttemptTrail, served: Prepared?, usage: Usage?, status: UsageRecord.Status, total: Duration,
        upstream: Duration?, stream: Bool
    ) {
        guard let buffer = self.usage else { return }
        let last = trail.attempts.last
        let model = served?.target.model ?? trail.attempts.last(where: { $0.model != nil })?.model
        let servedBy = served?.endpoint.slug ?? last?.endpoint
        let upstream = upstream ?? trail.attempts.reduce(Duration.zero) { $0 + $1.latency }
        buffer.append(
            UsageRecord(
                time: now(), endpoint: trail.slug, servedBy: servedBy, model: model, tokenID: trail.caller.tokenID,
                role: trail.caller.role, promptTokens: usage?.promptTokens ?? 0,
                completionTokens: usage?.completionTokens ?? 0, costUSD: 0, unpriced: false, latency: total,
                overhead: max(.zero, total - upstream),
                usedFallback: trail.attempts.contains { $0.endpoint != trail.slug }, status: status, stream: stream
            ),
            cachedTokens: usage?.cachedTokens
        )
    }

    /// Records a request the caller cancelled before it ended.
    func recordCancelled(_ trail: AttemptTrail, started: ContinuousClock.Instant, stream: Bool) {
        recordUsage(
            trail, served: nil, usage: nil, status: .cancelled, total: started.duration(to: .now), upstream: nil,
            stream: stream
        )
    }
}

/// Makes sure an open stream is accounted once: by ``RouterCore/finishStream(_:)`` or
/// ``RouterCore/brokenStream(_:error:)``, or as cancelled when the caller drops it unfinished.
final class StreamAccount {
    let core: RouterCore
    let trail: AttemptTrail
    let prepared: RouterCore.Prepared
    let started: ContinuousClock.Instant
    let upstreamStarted: ContinuousClock.Instant
    var usage: Usage?
    var settled = false

    init(
        core: RouterCore, trail: AttemptTrail, prepared: RouterCore.Prepared, started: ContinuousClock.Instant,
        upstreamStarted: ContinuousClock.Instant, usage: Usage?
    ) {
        self.core = core
        self.trail = trail
        self.prepared = prepared
        self.started = started
        self.upstreamStarted = upstreamStarted
        self.usage = usage
    }

    deinit {
        guard !settled else { return }
        core.recordUsage(
            trail, served: prepared, usage: usage, status: .cancelled, total: started.duration(to: .now),
            upstream: upstreamStarted.duration(to: .now), stream: true
        )
    }
}
