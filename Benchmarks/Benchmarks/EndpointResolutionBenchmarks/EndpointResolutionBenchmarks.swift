import Benchmark
import BenchmarkFixtures
import GatewayKit

// Slug resolution in a snapshot of 10,000 endpoints: the lookup alone (`endpoints.get`), and a
// whole `router.complete` on the mock provider, to compare with the one-endpoint figure of
// RouterBenchmarks. Every iteration picks another slug, so no lookup is served from a hot line.

let endpointCount = 10_000
nonisolated(unsafe) var gateway: Gateway?
let slugs: [Endpoint.Slug] = (0..<endpointCount).map { Endpoint.Slug(rawValue: "bench-\(($0 * 7_919) % endpointCount)") }

func requireGateway() -> Gateway {
    guard let gateway else { fatalError("setup did not make the gateway") }
    return gateway
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkFixtures.configuration()
    let setup: Benchmark.BenchmarkSetupHook = {
        if gateway == nil { gateway = try await BenchmarkFixtures.mockGateway(endpoints: endpointCount) }
    }
    let request = BenchmarkFixtures.request

    nonisolated(unsafe) var next = 0
    Benchmark("endpoints.get, 10,000 endpoints", configuration: .init(setup: setup)) { benchmark in
        let summary = try requireGateway().endpoints.get(slugs[next % endpointCount], by: .admin)
        next += 1
        blackHole(summary)
    }

    Benchmark("router.complete, mock, 10,000 endpoints", configuration: .init(setup: setup)) { benchmark in
        let reply = try await requireGateway().router.complete(slug: slugs[next % endpointCount], request: request, as: .admin)
        next += 1
        blackHole(reply)
    }
}
