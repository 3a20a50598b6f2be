// swift-tools-version: 6.1
// The floor of a SwiftNIO HTTP/1 proxy, a reference target for Benchmarks/load/run.sh
// (TARGETS="direct floor gatewaykit …"): what two HTTP/1 exchanges through NIO's pipelines cost
// on the machine, before any gateway work.
import PackageDescription

let package = Package(
    name: "nio-floor",
    platforms: [.macOS(.v14)],
    products: [.executable(name: "nio-floor", targets: ["NIOFloor"])],
    dependencies: [.package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0")],
    targets: [
        .executableTarget(
            name: "NIOFloor",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        )
    ]
)
