import GatewayKit
import GatewayKitSQLite
import Testing

/// A whole gateway on the embedded SQLite store, as `gateway-server` runs by default.
@Suite struct SQLiteGatewayTests {
    static let masterKey = "sqlite-gateway-master-key-0123456789abcdef"
    static let secret = "sk-live-SQLITE-GATEWAY-SECRET-4242"

    @Test("a gateway survives a restart on its SQLite file, secrets sealed on disk")
    func restart() async throws {
        try await TemporaryDirectory.with { directory in
            do {
                let gateway = try await Gateway(store: try SQLiteGatewayStore(path: directory.databasePath), masterKey: Self.masterKey)
                let key = try await gateway.keys.create(.init(name: "OpenAI", provider: .openai, secret: Self.secret), by: .admin)
                try await gateway.endpoints.create(.init(name: "Prod", model: "openai/gpt-4o", apiKeyID: key.id), by: .admin)
                try await gateway.endpoints.create(.init(name: "Echo", model: "mock/echo", fallbacks: ["prod"]), by: .admin)
            }
            for (file, bytes) in try directory.databaseBytes() {
                #expect(!bytes.contains(bytes: Array(Self.secret.utf8)), "\(file) holds the plain secret")
            }
            let reopened = try await Gateway(store: try SQLiteGatewayStore(path: directory.databasePath), masterKey: Self.masterKey)
            #expect(reopened.endpoints.list(by: .admin).map(\.slug) == ["echo", "prod"])
            #expect(try reopened.keys.list(by: .admin).first?.masked == "sk-…4242")
            #expect(try await reopened.router.complete(slug: "echo", request: .init(messages: [.user("back")]), as: .admin).text == "back")
            let wrongKey = await #expect(throws: GatewayError.self) {
                _ = try await Gateway(store: try SQLiteGatewayStore(path: directory.databasePath), masterKey: String(repeating: "x", count: 40))
            }
            #expect(wrongKey?.message.contains("'OpenAI'") == true)
        }
    }
}
