import Benchmark
import BenchmarkFixtures
import GatewayKit
import GatewayKitTesting

// `router.complete` and `router.stream`, one call per iteration: on the in-process mock provider
// (the router's own cost) and against an OpenAI-format server on 127.0.0.1 (the router, the
// OpenAI adapter's JSON work, the upstream client (AsyncHTTPClient by default, or
// NIOHTTPTransport) and the loopback round trip).

nonisolated(unsafe) var mock: Gateway?
nonisolated(unsafe) var accounted: (gateway: Gateway, run: Task<Void, any Error>)?
nonisolated(unsafe) var http: (gateway: Gateway, upstream: LocalUpstream, nio: NIOHTTPTransport?)?

/// A gateway whose endpoint `bench-http` calls a `LocalUpstream` through the OpenAI adapter.
func httpGateway(transport: any HTTPTransport = HTTPClientTransport()) async throws -> (Gateway, LocalUpstream) {
    let upstream = try await LocalUpstream.start()
    upstream.setBehaviour(.reply(text: BenchmarkFixtures.answerText), path: "/v1/chat/completions")
    let gateway = try await Gateway(
        store: InMemoryGatewayStore(), masterKey: BenchmarkFixtures.masterKey, configuration: .init(transport: transport)
    )
    let key = try await gateway.keys.create(
        .init(name: "local", provider: .openai, secret: "sk-bench-0123456789", settings: .init(baseURL: upstream.baseURL)),
        by: .admin
    )
    try await gateway.endpoints.create(
        .init(name: "bench http", slug: "bench-http", model: "openai/gpt-4o-mini", apiKeyID: key.id), by: .admin
    )
    return (gateway, upstream)
}

func requireMock() -> Gateway {
    guard let mock else { fatalError("setup did not make the mock gateway") }
    return mock
}

func requireHTTP() -> Gateway {
    guard let http else { fatalError("setup did not start the local upstream") }
    return http.gateway
}

/// Pulls every chunk of a stream; fails the benchmark when the stream is empty.
func drain(_ stream: ChatStream) async throws {
    var count = 0
    for try await chunk in stream {
        blackHole(chunk)
        count += 1
    }
    precondition(count > 1, "the stream answered \(count) chunks")
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkFixtures.configuration()
    let request = BenchmarkFixtures.request
    let mockSetup: Benchmark.BenchmarkSetupHook = { mock = try await BenchmarkFixtures.mockGateway() }
    let httpSetup: Benchmark.BenchmarkSetupHook = {
        let (gateway, upstream) = try await httpGateway()
        http = (gateway, upstream, nil)
    }
    let nioSetup: Benchmark.BenchmarkSetupHook = {
        let nio = NIOHTTPTransport()
        let (gateway, upstream) = try await httpGateway(transport: nio)
        http = (gateway, upstream, nio)
    }
    let httpTeardown: Benchmark.BenchmarkTeardownHook = {
        await http?.nio?.shutdown()
        try await http?.upstream.shutdown()
        http = nil
    }
    let streamBehaviour = {
        let words = BenchmarkFixtures.answerText.split(separator: " ").map { String($0) + " " }
        http?.upstream.setBehaviour(.stream(chunks: words), path: "/v1/chat/completions")
    }

    Benchmark("router.complete, mock", configuration: .init(setup: mockSetup)) { benchmark in
        let gateway = requireMock()
        let reply = try await gateway.router.complete(slug: "bench-0", request: request, as: .admin)
        blackHole(reply)
    }

    // The same call with usage accounting on: the router appends a record per request, and
    // gateway.run() writes them in batches to a sink, as gateway-server does with its store.
    Benchmark(
        "router.complete, mock, usage recorded",
        configuration: .init(
            setup: {
                let gateway = try await BenchmarkFixtures.mockGateway(usage: .init(sink: DiscardingUsageSink()))
                accounted = (gateway, Task { try await gateway.run() })
            },
            teardown: {
                accounted?.run.cancel()
                accounted = nil
            }
        )
    ) { benchmark in
        guard let gateway = accounted?.gateway else { fatalError("setup did not make the accounted gateway") }
        let reply = try await gateway.router.complete(slug: "bench-0", request: request, as: .admin)
        blackHole(reply)
    }

    Benchmark("router.stream, mock (37 chunks)", configuration: .init(setup: mockSetup)) { benchmark in
        try await drain(requireMock().router.stream(slug: "bench-0", request: request, as: .admin))
    }

    // Over loopback through each upstream client: AsyncHTTPClient (the library's default) and
    // NIOHTTPTransport (gateway-server's).
    for (client, setup) in [("", httpSetup), (", NIOHTTPTransport", nioSetup)] {
        Benchmark(
            "router.complete, local upstream\(client)",
            configuration: .init(
                maxDuration: .seconds(10), maxIterations: 20_000, thresholds: loopbackThresholds, setup: setup,
                teardown: httpTeardown
            )
        ) { benchmark in
            let reply = try await requireHTTP().router.complete(slug: "bench-http", request: request, as: .admin)
            blackHole(reply)
        }

        Benchmark(
            "router.stream, local upstream (37 chunks)\(client)",
            configuration: .init(
                maxDuration: .seconds(10), maxIterations: 20_000, thresholds: loopbackThresholds,
                setup: {
                    try await setup()
                    streamBehaviour()
                },
                teardown: httpTeardown
            )
        ) { benchmark in
            try await drain(requireHTTP().router.stream(slug: "bench-http", request: request, as: .admin))
        }
    }
}

/// Calls over loopback sockets wait on the scheduler of a shared two-core machine: their time varied
/// 5× between identical runs, and their allocations by a few (how the bytes arrive in reads). Only
/// allocations, within 5%, guard them.
var loopbackThresholds: [BenchmarkMetric: BenchmarkThresholds] {
    [
        .mallocCountTotal: .init(relative: [.p90: 5]),
        .wallClock: .init(relative: [.p90: 1_000]),
        .throughput: .init(relative: [.p90: 95]),
    ]
}
