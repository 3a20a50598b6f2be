import Metrics

/// The router's metrics, through swift-metrics (whatever backend the application bootstraps):
/// - `gatewaykit_requests_total{endpoint, outcome}`
/// - `gatewaykit_fallbacks_total{endpoint}`
/// - `gatewaykit_rate_limited_total{endpoint}`
/// - `gatewaykit_upstream_errors_total{provider, code}`
/// - `gatewaykit_request_duration_seconds{endpoint}` (timer)
/// - `gatewaykit_overhead_seconds{endpoint}` (timer): time in the gateway, upstream time excluded.
struct RouterMetrics: Sendable {
    func finished(_ slug: Endpoint.Slug, outcome: String, usedFallback: Bool, total: Duration, upstream: Duration?) {
        let endpoint = slug.rawValue
        Counter(label: "gatewaykit_requests_total", dimensions: [("endpoint", endpoint), ("outcome", outcome)])
            .increment()
        if usedFallback {
            Counter(label: "gatewaykit_fallbacks_total", dimensions: [("endpoint", endpoint)]).increment()
        }
        Metrics.Timer(label: "gatewaykit_request_duration_seconds", dimensions: [("endpoint", endpoint)])
            .recordNanoseconds(total.nanoseconds)
        if let upstream {
            Metrics.Timer(label: "gatewaykit_overhead_seconds", dimensions: [("endpoint", endpoint)])
                .recordNanoseconds(max(0, (total - upstream).nanoseconds))
        }
    }

    func rateLimited(_ slug: Endpoint.Slug) {
        Counter(label: "gatewaykit_rate_limited_total", dimensions: [("endpoint", slug.rawValue)]).increment()
    }

    func upstreamFailed(_ provider: Provider?, _ error: GatewayError) {
        guard let provider, error.code != .rateLimited else { return }
        Counter(
            label: "gatewaykit_upstream_errors_total",
            dimensions: [("provider", provider.rawValue), ("code", error.code.rawValue)]
        ).increment()
    }
}

extension Duration {
    /// Whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
