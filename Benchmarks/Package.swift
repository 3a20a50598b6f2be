// swift-tools-version:6.1

import PackageDescription

// Benchmarks live in their own package so package-benchmark never enters GatewayKit's graph.
// Run: eval "$(../scripts/start-redis.sh)"; swift package benchmark
let package = Package(
    name: "GatewayKitBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(name: "GatewayKit", path: ".."),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "RateLimiterBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "GatewayKit", package: "GatewayKit"),
                .product(name: "GatewayKitRedis", package: "GatewayKit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/RateLimiterBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        )
    ]
)
