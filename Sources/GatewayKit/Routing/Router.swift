#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// Sends chat requests to endpoints: resolve → authorize → limit → apply defaults → split →
/// call → fall back → account.
///
/// ```swift
/// let reply = try await gateway.router.complete(slug: "production-gpt-4o", request: .init(messages: [.user("Hi")]), as: caller)
/// print(reply.text, reply.servedBy?.endpoint ?? "")
/// ```
public struct Router: Sendable {
    let core: RouterCore

    /// Answers a request through the endpoint `slug`, falling back along its chain on retryable
    /// failures (timeouts, connection errors, 5xx, provider 429/529, the provider rejecting the
    /// gateway's key). The response's ``ChatResponse/servedBy`` names the endpoint and model that
    /// answered and every attempt.
    /// - Parameters:
    ///   - slug: the endpoint.
    ///   - request: the request; its `model` field is ignored.
    ///   - caller: who calls; its role must be allowed by the endpoint.
    /// - Throws: `GatewayError`: `notFound` for a missing, inactive or hidden endpoint;
    ///   `rateLimited` with `retryAfter`; `upstreamRejected` for the caller's own fault (never
    ///   retried); `guardrailBlocked` naming the rule when a guardrail blocks the request or the
    ///   answer (never retried); when every attempt fails, the decisive failure's code with the
    ///   attempt trail.
    public func complete(slug: Endpoint.Slug, request: ChatRequest, as caller: Caller) async throws -> ChatResponse {
        try await core.complete(slug: slug, request: request, caller: caller)
    }

    /// Streams an answer through the endpoint `slug`. A failure before the first chunk falls back
    /// like ``complete(slug:request:as:)``; after it, the stream ends by throwing a `GatewayError`,
    /// never with a clean-looking truncated answer. The first chunk's ``ChatChunk/servedBy`` names
    /// the endpoint serving the stream.
    ///
    /// The stream is pulled: nothing is read from the provider faster than the caller consumes it,
    /// and stopping the iteration (or cancelling the task) cancels the upstream request.
    /// - Parameters:
    ///   - slug: the endpoint.
    ///   - request: the request.
    ///   - caller: who calls.
    /// - Returns: the chunks; iterating throws the errors ``complete(slug:request:as:)`` throws.
    public func stream(slug: Endpoint.Slug, request: ChatRequest, as caller: Caller) -> ChatStream {
        ChatStream(core: core, slug: slug, request: request, caller: caller)
    }
}

/// The router's machinery, shared by every copy of ``Router``.
final class RouterCore: Sendable {
    let live: LiveConfiguration
    let limiter: any RateLimiter
    let transport: any HTTPTransport
    let registry: ProviderRegistry
    let keyUsage: KeyUsageTracker
    let logger: Logger
    let now: @Sendable () -> Date
    let maxResponseBytes: Int
    let metrics: RouterMetrics
    let inProcessGuardrails: InProcessGuardrails
    let usage: UsageBuffer?

    init(
        live: LiveConfiguration, limiter: any RateLimiter, transport: any HTTPTransport, registry: ProviderRegistry,
        keyUsage: KeyUsageTracker, logger: Logger, now: @escaping @Sendable () -> Date, maxResponseBytes: Int,
        guardrails: [any Guardrail] = [],
        usage: UsageBuffer? = nil
    ) {
        self.live = live
        self.limiter = limiter
        self.transport = transport
        self.registry = registry
        self.keyUsage = keyUsage
        self.logger = logger
        self.now = now
        self.maxResponseBytes = maxResponseBytes
        self.metrics = RouterMetrics()
        self.inProcessGuardrails = InProcessGuardrails(guardrails)
        self.usage = usage
    }

    static let window: Duration = .seconds(60)

    func complete(slug: Endpoint.Slug, request: ChatRequest, caller: Caller) async throws -> ChatResponse {
        let started = ContinuousClock.now
        var trail = AttemptTrail(slug: slug, snapshot: live.current, caller: caller)
        var blockedAnswer: GatewayError?
        while let step = try trail.next() {
            let attemptStart = ContinuousClock.now
            var target: Endpoint.Target?
            do {
                let prepared = try await prepare(step, request: request, caller: caller, stream: false)
                target = prepared.target
                var response = try await call(prepared)
                let upstream = attemptStart.duration(to: .now)
                if let rules = outputRules(step) {
                    do {
                        try await guardOutput(&response, rules: rules)
                    } catch {
                        // The provider answered (and was paid): account its tokens with the block.
                        trail.succeed(prepared, latency: upstream)
                        blockedAnswer = blockedOutput(
                            trail, prepared: prepared, usage: response.usage, error: error,
                            total: started.duration(to: .now), upstream: upstream
                        )
                        break
                    }
                }
                trail.succeed(prepared, latency: upstream)
                response.servedBy = trail.servedBy(prepared)
                account(trail, prepared: prepared, usage: response.usage, total: started.duration(to: .now), upstream: upstream)
                return response
            } catch {
                if Task.isCancelled { recordCancelled(trail, started: started, stream: false) }
                try Task.checkCancellation()
                let failure = GatewayError.classifying(error)
                metrics.upstreamFailed(target?.model.provider, failure)
                if !trail.fail(step, target: target, error: failure, latency: attemptStart.duration(to: .now)) {
                    break
                }
            }
        }
        if let blockedAnswer { throw blockedAnswer }
        throw finalError(trail, total: started.duration(to: .now))
    }

    /// Everything needed to send one attempt.
    struct Prepared: Sendable {
        var endpoint: Endpoint
        var target: Endpoint.Target
        var call: ProviderCall
        var request: ChatRequest
        var entry: ProviderRegistry.Entry
    }

    func prepare(_ step: AttemptTrail.Step, request: ChatRequest, caller: Caller, stream: Bool) async throws -> Prepared {
        let endpoint = step.endpoint
        if let rpm = endpoint.rateLimitRPM {
            let decision = try await limiter.acquire(.endpoint(endpoint.slug), limit: rpm, window: Self.window)
            guard decision.allowed else {
                metrics.rateLimited(endpoint.slug)
                var error = GatewayError(
                    .rateLimited,
                    "endpoint '\(endpoint.slug)' allows \(rpm) requests per minute; retry after the time in retryAfter",
                    failureClass: step.isPrimary ? FailureClass.none : .gatewayLimit,
                    retryAfter: decision.retryAfter
                )
                error.rateLimit = decision
                throw error
            }
        }
        var request = request
        endpoint.applyDefaults(to: &request)
        request.stream = stream
        let inputRules = step.snapshot.guardrails.lists(for: endpoint.slug).input
        if !inputRules.isEmpty || !inProcessGuardrails.input.isEmpty {
            try await guardInput(&request, rules: inputRules)
        }
        var generator = SystemRandomNumberGenerator()
        let target = endpoint.targets[TrafficSplit.pick(endpoint.targets, using: &generator)]
        var key: LiveKey?
        if let id = target.apiKeyID {
            guard let live = step.snapshot.keys[id] else {
                throw GatewayError(
                    .upstreamAuthFailed, "endpoint '\(endpoint.slug)' names API key '\(id)', which no longer exists"
                )
            }
            key = live
            keyUsage.markUsed(id, at: now())
        }
        guard let entry = registry.entry(for: target.model.provider) else {
            throw GatewayError(
                .upstream, "no adapter is registered for provider \(target.model.provider)", failureClass: .unavailable
            )
        }
        let call = ProviderCall(
            model: target.model, apiKey: key?.key, secret: key?.secret, stream: stream, timeout: endpoint.timeout
        )
        return Prepared(endpoint: endpoint, target: target, call: call, request: request, entry: entry)
    }

    private func call(_ prepared: Prepared) async throws -> ChatResponse {
        switch prepared.entry {
        case .inProcess(let provider):
            return try await provider.complete(prepared.request, for: prepared.call)
        case .http(let adapter):
            let call = try await prepared.call.authorized(for: adapter, transport: transport)
            let request = try adapter.makeRequest(prepared.request, for: call)
            let response = try await transport.send(request, timeout: prepared.endpoint.timeout)
            guard (200..<300).contains(response.status) else {
                throw adapter.classifyError(
                    status: response.status, headers: response.headers, body: response.body, for: call
                )
            }
            return try adapter.parseResponse(response, for: call)
        }
    }

    func finalError(_ trail: AttemptTrail, total: Duration, stream: Bool = false) -> GatewayError {
        var error = trail.lastError ?? GatewayError(.internal, "no endpoint was tried")
        error.attempts = trail.attempts
        recordUsage(trail, served: nil, usage: nil, status: .init(error.code), total: total, upstream: nil, stream: stream)
        metrics.finished(trail.slug, outcome: error.code.rawValue, usedFallback: trail.attempts.count > 1, total: total, upstream: nil)
        logger.debug(
            "request failed",
            metadata: [
                "gateway.endpoint": "\(trail.slug)", "gateway.code": "\(error.code)",
                "gateway.attempts": "\(trail.attempts.count)", "gateway.latency_ms": "\(total.milliseconds)",
            ]
        )
        return error
    }

    /// Accounts an answer an output guardrail blocked: the provider's tokens and cost are kept.
    func blockedOutput(
        _ trail: AttemptTrail, prepared: Prepared, usage: Usage?, error: any Error, total: Duration, upstream: Duration
    ) -> GatewayError {
        var failure = GatewayError.classifying(error)
        failure.attempts = trail.attempts
        let usedFallback = prepared.endpoint.slug != trail.slug
        recordUsage(
            trail, served: prepared, usage: usage, status: .init(failure.code), total: total, upstream: upstream,
            stream: false
        )
        metrics.finished(trail.slug, outcome: failure.code.rawValue, usedFallback: usedFallback, total: total, upstream: upstream)
        return failure
    }

    func account(
        _ trail: AttemptTrail, prepared: Prepared, usage: Usage?, total: Duration, upstream: Duration, stream: Bool = false
    ) {
        let usedFallback = prepared.endpoint.slug != trail.slug
        recordUsage(trail, served: prepared, usage: usage, status: .ok, total: total, upstream: upstream, stream: stream)
        metrics.finished(trail.slug, outcome: "ok", usedFallback: usedFallback, total: total, upstream: upstream)
        logger.debug(
            "request served",
            metadata: [
                "gateway.endpoint": "\(trail.slug)", "gateway.served_by": "\(prepared.endpoint.slug)",
                "gateway.model": "\(prepared.target.model)", "gateway.fallback": "\(usedFallback)",
                "gateway.latency_ms": "\(total.milliseconds)",
                "gateway.prompt_tokens": "\(usage?.promptTokens ?? 0)",
                "gateway.completion_tokens": "\(usage?.completionTokens ?? 0)",
            ]
        )
    }
}
