import Metrics

/// The router's metrics, through swift-metrics (whatever backend the application bootstraps):
/// - `gatewaykit_requests_total{endpoint, outcome}`
/// - `gatewaykit_fallbacks_total{endpoint}`
/// - `gatewaykit_rate_limited_total{endpoint}`
/// - `gatewaykit_upstream_errors_total{provider, code}`
/// - `gatewaykit_request_duration_seconds{endpoint}` (timer)
/// - `gatewaykit_overhead_seconds{endpoint}` (timer): time in the gateway, upstream time excluded.
///
/// Each handle is made once per label and dimensions and kept (``MetricHandleCache``).
final class RouterMetrics: Sendable {
    private enum Metric: Hashable {
        case requests, fallbacks, rateLimited, upstreamErrors, duration, overhead
    }

    private struct Key: Hashable {
        var metric: Metric
        var first: String
        var second: String
    }

    private let counters = MetricHandleCache<Key, Counter>()
    private let timers = MetricHandleCache<Key, Metrics.Timer>()

    func finished(_ slug: Endpoint.Slug, outcome: String, usedFallback: Bool, total: Duration, upstream: Duration?) {
        let endpoint = slug.rawValue
        counter(.requests, endpoint, outcome) {
            Counter(label: "gatewaykit_requests_total", dimensions: [("endpoint", endpoint), ("outcome", outcome)])
        }.increment()
        if usedFallback {
            counter(.fallbacks, endpoint) {
                Counter(label: "gatewaykit_fallbacks_total", dimensions: [("endpoint", endpoint)])
            }.increment()
        }
        timer(.duration, endpoint) {
            Metrics.Timer(label: "gatewaykit_request_duration_seconds", dimensions: [("endpoint", endpoint)])
        }.recordNanoseconds(total.nanoseconds)
        if let upstream {
            timer(.overhead, endpoint) {
                Metrics.Timer(label: "gatewaykit_overhead_seconds", dimensions: [("endpoint", endpoint)])
            }.recordNanoseconds(max(0, (total - upstream).nanoseconds))
        }
    }

    func rateLimited(_ slug: Endpoint.Slug) {
        let endpoint = slug.rawValue
        counter(.rateLimited, endpoint) {
            Counter(label: "gatewaykit_rate_limited_total", dimensions: [("endpoint", endpoint)])
        }.increment()
    }

    func upstreamFailed(_ provider: Provider?, _ error: GatewayError) {
        guard let provider, error.code != .rateLimited else { return }
        let code = error.code.rawValue
        counter(.upstreamErrors, provider.rawValue, code) {
            Counter(label: "gatewaykit_upstream_errors_total", dimensions: [("provider", provider.rawValue), ("code", code)])
        }.increment()
    }

    private func counter(_ metric: Metric, _ first: String, _ second: String = "", make: () -> Counter) -> Counter {
        counters.handle(Key(metric: metric, first: first, second: second), make: make)
    }

    private func timer(_ metric: Metric, _ first: String, make: () -> Metrics.Timer) -> Metrics.Timer {
        timers.handle(Key(metric: metric, first: first, second: ""), make: make)
    }
}

extension Duration {
    /// Whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
