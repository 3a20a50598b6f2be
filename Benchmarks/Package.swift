// swift-tools-version:6.1

import PackageDescription

// Benchmarks live in their own package so package-benchmark never enters GatewayKit's graph.
// Run: eval "$(../scripts/start-redis.sh)"; swift package benchmark (see BENCHMARKS.md)
let package = Package(
    name: "GatewayKitBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(name: "GatewayKit", path: ".."),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // What the benchmark targets share: fixtures and the common configuration.
        .target(
            name: "BenchmarkFixtures",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "GatewayKit", package: "GatewayKit"),
            ],
            path: "Support"
        ),
        benchmark("RateLimiterBenchmarks", [
            .product(name: "GatewayKitRedis", package: "GatewayKit"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        benchmark("RouterBenchmarks", [.product(name: "GatewayKitTesting", package: "GatewayKit")]),
        benchmark("EndpointResolutionBenchmarks"),
        benchmark("SSEBenchmarks", [.product(name: "NIOCore", package: "swift-nio")]),
        benchmark("JSONBenchmarks", [.product(name: "NIOCore", package: "swift-nio")]),
        benchmark("SecretBenchmarks"),
    ]
)

/// One package-benchmark executable target in `Benchmarks/<name>`.
func benchmark(_ name: String, _ dependencies: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            "BenchmarkFixtures",
            .product(name: "Benchmark", package: "package-benchmark"),
            .product(name: "GatewayKit", package: "GatewayKit"),
        ] + dependencies,
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    )
}
