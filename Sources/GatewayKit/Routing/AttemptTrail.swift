/// Walks a call's fallback chain and records every attempt. Pure: it decides which endpoint comes
/// next and whether a failure allows one, and does no I/O.
struct AttemptTrail: Sendable {
    struct Step: Sendable {
        var endpoint: Endpoint
        var isPrimary: Bool
        var snapshot: ConfigSnapshot
    }

    let slug: Endpoint.Slug
    let snapshot: ConfigSnapshot
    let caller: Caller
    private let order: [Endpoint.Slug]
    private var position = 0
    private(set) var attempts: [Attempt] = []
    private(set) var lastError: GatewayError?

    init(slug: Endpoint.Slug, snapshot: ConfigSnapshot, caller: Caller) {
        self.slug = slug
        self.snapshot = snapshot
        self.caller = caller
        self.order = FallbackChain.order(from: slug, in: snapshot.endpoints)
    }

    /// The next endpoint to try, or `nil` when the chain is exhausted. Fallbacks the caller may not
    /// use, inactive ones and deleted ones are recorded as skipped.
    /// - Throws: `notFound` when the endpoint called is missing, inactive or hidden from the caller.
    mutating func next() throws(GatewayError) -> Step? {
        while position < order.count {
            let current = order[position]
            let isPrimary = position == 0
            position += 1
            guard let endpoint = snapshot.endpoints[current], endpoint.isActive, endpoint.allows(caller.role) else {
                if isPrimary { throw GatewayError.notFound("no endpoint '\(current)'") }
                let skipped = GatewayError(
                    .upstream, "fallback endpoint '\(current)' is inactive or not callable by this caller",
                    failureClass: .unavailable
                )
                attempts.append(Attempt(endpoint: current, model: nil, apiKeyID: nil, outcome: .failure(skipped), latency: .zero))
                if lastError == nil { lastError = skipped }
                continue
            }
            return Step(endpoint: endpoint, isPrimary: isPrimary, snapshot: snapshot)
        }
        return nil
    }

    mutating func succeed(_ prepared: RouterCore.Prepared, latency: Duration) {
        attempts.append(
            Attempt(
                endpoint: prepared.endpoint.slug, model: prepared.target.model, apiKeyID: prepared.target.apiKeyID,
                outcome: .success, latency: latency
            )
        )
    }

    /// Records a failure and says whether the chain may go on to the next endpoint: only when the
    /// failure's class is a fallback trigger and an endpoint is left to try.
    mutating func fail(_ step: Step, target: Endpoint.Target?, error: GatewayError, latency: Duration) -> Bool {
        attempts.append(
            Attempt(
                endpoint: step.endpoint.slug, model: target?.model, apiKeyID: target?.apiKeyID,
                outcome: .failure(error), latency: latency
            )
        )
        lastError = error
        return FailureClass.defaultFallbackTriggers.contains(error.failureClass) && position < order.count
    }

    func servedBy(_ prepared: RouterCore.Prepared) -> ServedBy {
        ServedBy(
            endpoint: prepared.endpoint.slug, model: prepared.target.model,
            usedFallback: prepared.endpoint.slug != slug, attempts: attempts
        )
    }
}

extension Attempt.Outcome {
    static func failure(_ error: GatewayError) -> Attempt.Outcome {
        .failure(code: error.code, failureClass: error.failureClass, status: error.upstreamStatus)
    }
}
