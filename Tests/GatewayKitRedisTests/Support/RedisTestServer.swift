import Foundation
import GatewayKit
@testable import GatewayKitRedis

#if canImport(Glibc)
import Glibc
#endif

/// The shared redis-server the tests use, named by `REDIS_URL`.
enum SharedRedis {
    struct NotConfigured: Error, CustomStringConvertible {
        var description: String {
            "REDIS_URL is not set. The Redis tests need a real redis-server: run "
                + "`eval \"$(scripts/start-redis.sh)\"` (apt-get install redis-server first), then swift test."
        }
    }

    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["REDIS_URL"], !url.isEmpty else {
            throw NotConfigured()
        }
        return url
    }

    /// A configuration for the shared server with generous timeouts, so a loaded machine does
    /// not push a test into degraded mode, and a prefix of its own per test.
    static func configuration(poolSize: Int = 4) throws -> RedisRateLimiter.Configuration {
        try RedisRateLimiter.Configuration(
            url: url(),
            poolSize: poolSize,
            connectTimeout: .seconds(2),
            commandTimeout: .seconds(2),
            keyPrefix: "gatewaykit-test:\(UInt32.random(in: .min ... .max)):"
        )
    }
}

/// A redis-server of the test's own, on a free loopback port, for tests that kill, pause or
/// reconfigure it without disturbing the shared one.
final class RedisTestServer: @unchecked Sendable {
    // @unchecked Sendable: used from one test at a time; `process` changes only in start/kill.
    let port: Int
    private let directory: URL
    private let extraArguments: [String]
    private var process: Process?

    /// Starts a server; `arguments` are extra redis-server options (`--requirepass`, …).
    init(arguments: [String] = []) async throws {
        port = try Self.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatewaykit-redis-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        extraArguments = arguments
        try await start()
    }

    deinit {
        if let process, process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    var url: String { "redis://127.0.0.1:\(port)/0" }

    /// Starts (or restarts) the server on its port and waits until it answers.
    func start() async throws {
        let process = Process()
        process.executableURL = try Self.redisServerPath()
        process.arguments = [
            "--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no",
            "--dir", directory.path,
        ] + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<100 {
            if (try? RedisTestClient(port: port)) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestServerError(description: "redis-server on port \(port) did not start")
    }

    /// Kills the server at once, as a crash would.
    func kill() {
        guard let process else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Freezes the server: connections stay open but nothing answers.
    func pause() {
        if let process { Glibc.kill(process.processIdentifier, SIGSTOP) }
    }

    /// Lets a paused server run again.
    func resume() {
        if let process { Glibc.kill(process.processIdentifier, SIGCONT) }
    }

    private static func redisServerPath() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("redis-server")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw TestServerError(description: "redis-server is not on PATH: apt-get install -y redis-server")
    }

    /// A port nothing listens on now: bind to port 0 and read what the kernel chose.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw TestServerError(description: "could not bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var description: String
}

/// A plain blocking connection for a test's own commands (`SCRIPT FLUSH`, `ZCARD`, `ACL`).
struct RedisTestClient {
    private let connection: RedisConnection

    init(url: String) throws {
        connection = try RedisConnection.open(RedisRateLimiter.Configuration(url: url))
    }

    init(port: Int) throws {
        try self.init(url: "redis://127.0.0.1:\(port)/0")
    }

    @discardableResult
    func command(_ arguments: String...) throws -> RedisReply {
        try connection.command(arguments)
    }
}
