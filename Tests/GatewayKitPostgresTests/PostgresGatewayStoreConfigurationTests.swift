import GatewayKit
import Testing

@testable import GatewayKitPostgres

@Suite struct PostgresGatewayStoreConfigurationTests {
    @Test("a URL gives host, port, user, percent-decoded password and database")
    func parsesURL() throws {
        let configuration = try PostgresGatewayStore.Configuration(
            url: "postgresql://gate%40way:p%40ss%3Aword@db.internal:6543/gateway_config?sslmode=require")
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "gate@way")
        #expect(configuration.password?.reveal() == "p@ss:word")
        #expect(configuration.database == "gateway_config")
        guard case .require = configuration.tls.base else {
            Issue.record("sslmode=require did not require TLS")
            return
        }
    }

    @Test("without sslmode, loopback hosts use plain TCP and other hosts prefer TLS")
    func defaultTLS() throws {
        for host in ["127.0.0.1", "localhost", "[::1]"] {
            let configuration = try PostgresGatewayStore.Configuration(url: "postgres://u:p@\(host)/db")
            guard case .disable = configuration.tls.base else {
                Issue.record("\(host) did not default to sslmode=disable")
                continue
            }
            #expect(configuration.port == 5432)
        }
        let remote = try PostgresGatewayStore.Configuration(url: "postgres://u:p@db.example.com/db")
        guard case .prefer = remote.tls.base else {
            Issue.record("a remote host did not default to sslmode=prefer")
            return
        }
        let disabled = try PostgresGatewayStore.Configuration(url: "postgres://u:p@db.example.com/db?sslmode=disable")
        guard case .disable = disabled.tls.base else {
            Issue.record("sslmode=disable was ignored")
            return
        }
    }

    @Test("an unusable URL is invalidRequest on field store, and the message never shows the password")
    func rejectsURLs() {
        let password = "hunter2-Secret"
        let urls = [
            "mysql://u:\(password)@host/db",
            "postgres://u:\(password)@host",
            "postgres://u:\(password)@host/db/extra",
            "postgres://:\(password)@host/db",
            "postgres://u:\(password)@host/db?sslmode=sometimes",
            "not a url \(password)",
        ]
        for url in urls {
            let error = #expect(throws: GatewayError.self) { try PostgresGatewayStore.Configuration(url: url) }
            #expect(error?.code == .invalidRequest)
            #expect(error?.field == "store")
            #expect(error.map { !"\($0) \(String(reflecting: $0))".contains(password) } == true)
        }
    }

    @Test("the password is redacted when a configuration is printed")
    func redactsPassword() throws {
        let configuration = try PostgresGatewayStore.Configuration(url: "postgres://u:hunter2-Secret@host/db")
        #expect(!"\(configuration)".contains("hunter2"))
        #expect(!String(reflecting: configuration).contains("hunter2"))
    }
}
