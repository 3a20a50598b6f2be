import GatewayKit
import Logging
import Testing

@testable import GatewayKitRedis

@Suite struct RedisRateLimiterConnectTests {
    let logger = Logger(label: "redis-connect-tests")

    private func connectError(_ url: String) async throws -> GatewayError {
        let configuration = try RedisRateLimiter.Configuration(url: url, connectTimeout: .seconds(2))
        do {
            let limiter = try await RedisRateLimiter.connect(configuration, logger: logger)
            await limiter.shutdown()
        } catch {
            return error
        }
        throw TestServerError(description: "connecting to \(configuration.address) succeeded")
    }

    @Test("a wrong password is a clear storage error that never shows the password")
    func wrongPassword() async throws {
        let server = try await RedisTestServer(arguments: ["--requirepass", "right-horse-battery"])
        let error = try await connectError("redis://:wrong-staple-7@127.0.0.1:\(server.port)/0")
        #expect(error.code == .storageUnavailable)
        #expect(error.message.contains("refused the password"))
        #expect(!error.message.contains("wrong-staple-7"))
        #expect(!String(reflecting: error).contains("wrong-staple-7"))
    }

    @Test("a password-protected Redis without a password in the URL says a password is needed")
    func missingPassword() async throws {
        let server = try await RedisTestServer(arguments: ["--requirepass", "right-horse-battery"])
        let error = try await connectError(server.url)
        #expect(error.code == .storageUnavailable)
        #expect(error.message.contains("requires a password"))
    }

    @Test("the right password, and an ACL user with its password, connect and decide")
    func rightCredentials() async throws {
        let server = try await RedisTestServer(arguments: ["--requirepass", "right-horse-battery"])
        let admin = try RedisTestClient(url: "redis://:right-horse-battery@127.0.0.1:\(server.port)/0")
        try admin.command("ACL", "SETUSER", "gateway", "on", ">gateway%pass", "~*", "+@all")
        for url in [
            "redis://:right-horse-battery@127.0.0.1:\(server.port)/0",
            "redis://gateway:gateway%25pass@127.0.0.1:\(server.port)/2",
        ] {
            let limiter = try await RedisRateLimiter.connect(.init(url: url), logger: logger)
            #expect(try await limiter.acquire(.endpoint("secured"), limit: 1, window: .seconds(5)).allowed)
            #expect(!limiter.isDegraded)
            await limiter.shutdown()
        }
    }

    @Test("a database the server does not have is a clear error naming the database")
    func wrongDatabase() async throws {
        let server = try await RedisTestServer()
        let error = try await connectError("redis://127.0.0.1:\(server.port)/99")
        #expect(error.code == .storageUnavailable)
        #expect(error.message.contains("refused database 99"))
    }

    @Test("a Redis that refuses scripts is a clear error at connect")
    func scriptsRefused() async throws {
        let server = try await RedisTestServer()
        let admin = try RedisTestClient(port: server.port)
        try admin.command("ACL", "SETUSER", "noscripts", "on", ">pw", "~*", "+@all", "-@scripting")
        let error = try await connectError("redis://noscripts:pw@127.0.0.1:\(server.port)/0")
        #expect(error.code == .storageUnavailable)
        #expect(error.message.contains("refuses the rate-limit Lua script"))
        #expect(error.message.contains("NOPERM"))
    }

    @Test("an address where nothing listens is a clear connection error")
    func unreachable() async throws {
        let port = try RedisTestServer.freePort()
        let error = try await connectError("redis://127.0.0.1:\(port)/0")
        #expect(error.code == .storageUnavailable)
        #expect(error.message.contains("could not connect to Redis at 127.0.0.1:\(port)/0"))
    }

    @Test("a key prefix with a brace is refused, since the limiter adds the hash tag")
    func braceInPrefix() async throws {
        #expect(throws: GatewayError.self) {
            try RedisRateLimiter.Configuration(url: "redis://127.0.0.1:6379", keyPrefix: "rl:{x}:")
        }
        #expect(throws: GatewayError.self) {
            try RedisRateLimiter.Configuration(url: "redis://127.0.0.1:6379", poolSize: 0)
        }
    }
}
