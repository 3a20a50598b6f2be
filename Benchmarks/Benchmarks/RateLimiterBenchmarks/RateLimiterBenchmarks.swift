import Benchmark
import Foundation
import GatewayKit
import GatewayKitRedis
import Logging

// Decisions per second and per-decision latency of the rate limiters, at 1 and 32 concurrent
// callers. One iteration: every caller makes `decisionsPerCaller` decisions back to back.
// The limit is far above what a second of decisions reaches, so every decision takes the
// "allowed" path, including the trim of entries older than the one-second window.

let decisionsPerCaller = 200
let limit = 100_000_000
let window = Duration.seconds(1)

let decisionRate = BenchmarkMetric.custom("decisions/s", polarity: .prefersLarger, useScalingFactor: false)
let decisionLatency = BenchmarkMetric.custom("decision latency (ns)", polarity: .prefersSmaller, useScalingFactor: false)

/// Runs one iteration: `callers` tasks, each deciding `decisionsPerCaller` times.
func measure(_ limiter: any RateLimiter, callers: Int, key: RateLimitKey, benchmark: Benchmark) async throws {
    let clock = ContinuousClock()
    let start = clock.now
    let latencies = try await withThrowingTaskGroup(of: [Int].self) { group in
        for _ in 0..<callers {
            group.addTask {
                var latencies: [Int] = []
                latencies.reserveCapacity(decisionsPerCaller)
                for _ in 0..<decisionsPerCaller {
                    let before = clock.now
                    let decision = try await limiter.acquire(key, limit: limit, window: window)
                    precondition(decision.allowed, "the benchmark's limit was reached")
                    let (seconds, attoseconds) = before.duration(to: clock.now).components
                    latencies.append(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
                }
                return latencies
            }
        }
        return try await group.reduce(into: []) { $0 += $1 }
    }
    let (seconds, attoseconds) = start.duration(to: clock.now).components
    let elapsedNanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    benchmark.measurement(decisionRate, Int(Double(callers * decisionsPerCaller) * 1e9 / elapsedNanoseconds))
    for latency in latencies { benchmark.measurement(decisionLatency, latency) }
}

func redisConfiguration() throws -> RedisRateLimiter.Configuration {
    guard let url = ProcessInfo.processInfo.environment["REDIS_URL"] else {
        fatalError("REDIS_URL is not set: eval \"$(../scripts/start-redis.sh)\" first")
    }
    return try RedisRateLimiter.Configuration(url: url, poolSize: 4, commandTimeout: .seconds(1), keyPrefix: "gatewaykit-bench:")
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, decisionRate, decisionLatency],
        timeUnits: .microseconds,
        warmupIterations: 3,
        maxDuration: .seconds(10),
        maxIterations: 200,
        // Decisions per second and latency swing with the machine's load, a Redis round trip most.
        thresholds: [
            .wallClock: .init(relative: [.p90: 150]),
            decisionRate: .init(relative: [.p90: 60]),
            decisionLatency: .init(relative: [.p90: 150]),
        ]
    )

    for callers in [1, 32] {
        let inMemory = InMemoryRateLimiter()
        Benchmark("InMemoryRateLimiter, \(callers) callers") { benchmark in
            try await measure(inMemory, callers: callers, key: .endpoint(Endpoint.Slug(rawValue: "bench-memory-\(callers)")), benchmark: benchmark)
        }

        nonisolated(unsafe) var redis: RedisRateLimiter?
        Benchmark(
            "RedisRateLimiter, \(callers) callers",
            configuration: .init(
                setup: {
                    redis = try await RedisRateLimiter.connect(redisConfiguration(), logger: Logger(label: "bench"))
                },
                teardown: {
                    if let redis {
                        precondition(!redis.isDegraded, "Redis was not used: the limiter degraded")
                        await redis.shutdown()
                    }
                }
            )
        ) { benchmark in
            guard let redis else { fatalError("setup did not connect") }
            try await measure(redis, callers: callers, key: .endpoint(Endpoint.Slug(rawValue: "bench-redis-\(callers)")), benchmark: benchmark)
            precondition(!redis.isDegraded, "Redis was not used: the limiter degraded")
        }
    }
}
