extension RouterCore {
    /// Walks the fallback chain until an endpoint produces a first chunk.
    func openStream(_ stream: ChatStream) async throws -> OpenStream {
        let started = ContinuousClock.now
        var trail = AttemptTrail(slug: stream.slug, snapshot: live.current, caller: stream.caller)
        while let step = try trail.next() {
            let attemptStart = ContinuousClock.now
            var target: Endpoint.Target?
            do {
                let prepared = try await prepare(step, request: stream.request, caller: stream.caller, stream: true)
                target = prepared.target
                var (source, first) = try await start(prepared)
                trail.succeed(prepared, latency: attemptStart.duration(to: .now))
                first[0].servedBy = trail.servedBy(prepared)
                let account = StreamAccount(
                    core: self, trail: trail, prepared: prepared, started: started, upstreamStarted: attemptStart,
                    usage: first.last(where: { $0.usage != nil })?.usage
                )
                return OpenStream(
                    prepared: prepared, trail: trail, source: source, firstChunks: first, started: started,
                    upstreamStarted: attemptStart, account: account,
                    outputGuard: outputRules(step).map { OutputStreamGuard(rules: $0, runner: guardrailRunner) }
                )
            } catch {
                if Task.isCancelled { recordCancelled(trail, started: started, stream: true) }
                try Task.checkCancellation()
                let failure = GatewayError.classifying(error)
                metrics.upstreamFailed(target?.model.provider, failure)
                if !trail.fail(step, target: target, error: failure, latency: attemptStart.duration(to: .now)) {
                    break
                }
            }
        }
        throw finalError(trail, total: started.duration(to: .now), stream: true)
    }

    /// Opens the upstream stream and reads until it yields at least one chunk.
    private func start(_ prepared: Prepared) async throws -> (ChunkSource, [ChatChunk]) {
        var source: ChunkSource
        switch prepared.entry {
        case .inProcess(let provider):
            let sequence = try await provider.stream(prepared.request, for: prepared.call)
            source = .inProcess(sequence.makeAsyncIterator())
        case .http(let adapter):
            let call = try await prepared.call.authorized(for: adapter, transport: transport)
            let request = try adapter.makeRequest(prepared.request, for: call)
            let response = try await transport.stream(request, timeout: prepared.endpoint.timeout)
            guard (200..<300).contains(response.status) else {
                let body = try await response.body.collect(upTo: 1 << 20)
                throw adapter.classifyError(
                    status: response.status, headers: response.headers, body: body, for: call
                )
            }
            source = .http(
                body: response.body.makeAsyncIterator(), parser: adapter.makeStreamParser(for: call), ended: false,
                held: nil
            )
        }
        while let chunks = try await source.nextChunks(firstEventOnly: true) {
            if !chunks.isEmpty { return (source, chunks) }
        }
        throw GatewayError(.upstream, "the provider ended the stream without sending anything")
    }

    /// The error a stream ends with when it fails after its first chunk.
    func brokenStream(_ open: OpenStream, error: any Error) -> GatewayError {
        var failure = GatewayError.classifying(error)
        if failure.code != .guardrailBlocked {
            failure.message = "the stream from endpoint '\(open.prepared.endpoint.slug)' failed after it began: \(failure.message)"
        }
        failure.attempts = open.trail.attempts
        open.account.settled = true
        recordUsage(
            open.trail, served: open.prepared, usage: open.usage, status: .init(failure.code),
            total: open.started.duration(to: .now), upstream: open.upstreamStarted.duration(to: .now), stream: true
        )
        metrics.upstreamFailed(open.prepared.target.model.provider, failure)
        metrics.finished(
            open.trail.slug, outcome: failure.code.rawValue, usedFallback: open.prepared.endpoint.slug != open.trail.slug,
            total: open.started.duration(to: .now), upstream: nil
        )
        return failure
    }

    /// Accounts for a stream that ended cleanly.
    func finishStream(_ open: OpenStream) {
        open.account.settled = true
        account(
            open.trail, prepared: open.prepared, usage: open.usage, total: open.started.duration(to: .now),
            upstream: open.upstreamStarted.duration(to: .now), stream: true
        )
    }
}
