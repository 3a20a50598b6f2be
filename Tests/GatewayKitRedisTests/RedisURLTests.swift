import GatewayKit
import Testing

@testable import GatewayKitRedis

@Suite struct RedisURLTests {
    @Test("host, port and database are read; the port defaults to 6379 and the database to 0")
    func basicForms() throws {
        #expect(try RedisURL(parsing: "redis://cache.internal") == RedisURL(host: "cache.internal", port: 6379, database: 0))
        #expect(try RedisURL(parsing: "redis://127.0.0.1:6380/3") == RedisURL(host: "127.0.0.1", port: 6380, database: 3))
        #expect(try RedisURL(parsing: "redis://127.0.0.1:6380/") == RedisURL(host: "127.0.0.1", port: 6380, database: 0))
        #expect(try RedisURL(parsing: "redis://[::1]:7000/1") == RedisURL(host: "::1", port: 7000, database: 1))
    }

    @Test("a password alone, or a user with a password, is read and %-decoded")
    func credentials() throws {
        let passwordOnly = try RedisURL(parsing: "redis://:s3cret@localhost:6379/0")
        #expect(passwordOnly.username == nil)
        #expect(passwordOnly.password == "s3cret")
        let withUser = try RedisURL(parsing: "redis://gateway:p%40ss:word@localhost/2")
        #expect(withUser.username == "gateway")
        #expect(withUser.password == "p@ss:word")
        #expect(withUser.database == 2)
        let atInPassword = try RedisURL(parsing: "redis://:a@b@localhost")
        #expect(atInPassword.password == "a@b")
        #expect(atInPassword.host == "localhost")
    }

    @Test("malformed URLs are invalid requests on the redis_url field that never echo the password",
        arguments: [
            "http://localhost:6379", "rediss://localhost", "redis://", "redis://localhost:0",
            "redis://localhost:99999", "redis://localhost:port", "redis://localhost/db",
            "redis://localhost/-1", "redis://user@localhost", "redis://:pw%zz@localhost",
            "redis://localhost?timeout=1", "redis://[::1/0",
        ])
    func malformed(url: String) {
        #expect {
            try RedisURL(parsing: url)
        } throws: { error in
            guard let error = error as? GatewayError else { return false }
            return error.code == .invalidRequest && error.field == "redis_url" && !error.message.contains("pw%zz")
        }
    }

    @Test("a configuration's description and address never show the password")
    func configurationHidesPassword() throws {
        let configuration = try RedisRateLimiter.Configuration(url: "redis://:hunter2-secret@localhost:6379/4")
        #expect(configuration.address == "localhost:6379/4")
        #expect(!String(describing: configuration).contains("hunter2-secret"))
        #expect(!String(reflecting: configuration).contains("hunter2-secret"))
        #expect(configuration.password?.reveal() == "hunter2-secret")
    }
}
