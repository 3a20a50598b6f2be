import Foundation
import GatewayKit
import GatewayKitHTTP
import HTTPTypes
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@Suite struct GatewayRoutesAdminTests {
    @Test("creates, lists, patches and deletes an endpoint in snake_case JSON")
    func endpointLifecycle() async throws {
        let gateway = try await makeTestGateway()
        let key = try await gateway.keys.create(
            .init(name: "Local", provider: .ollama, secret: "unused-secret-123456"), by: .admin)
        try await withLiveServer(gateway) { client in
            let created = try await client.call(
                .post, "/api/endpoints",
                json: #"{"name":"Support Bot","model":"ollama/llama3","api_key_id":"\#(key.id)","rate_limit_rpm":60,"#
                    + #""system_prompt":"Be brief.","fallbacks":["demo"],"allowed_roles":["admin","editor"],"timeout_ms":5000}"#
            )
            #expect(created.status == .created, "\(created.text)")
            let endpoint = try created.object()
            #expect(endpoint["slug"] as? String == "support-bot")
            #expect(endpoint["version"] as? Int == 1)
            #expect(endpoint["provider"] as? String == "ollama")
            #expect(endpoint["model"] as? String == "ollama/llama3")
            #expect(endpoint["key_name"] as? String == "Local")
            #expect(endpoint["rate_limit_rpm"] as? Int == 60)
            #expect(endpoint["has_fallback"] as? Bool == true)
            #expect(endpoint["active"] as? Bool == true)
            #expect(endpoint["active_guardrails"] as? Int == 0)
            #expect(endpoint["allowed_roles"] as? [String] == ["admin", "editor"])
            #expect(endpoint["timeout_ms"] as? Int == 5000)

            let list = try await client.call(.get, "/api/endpoints", as: .editor).object()
            let slugs = (list["data"] as? [[String: Any]])?.compactMap { $0["slug"] as? String }
            #expect(slugs == ["demo", "support-bot"])
            let hidden = try await client.call(.get, "/api/endpoints", as: .reviewer).object()
            #expect((hidden["data"] as? [[String: Any]])?.count == 1)

            // PATCH takes any subset; null clears an optional field.
            let patched = try await client.call(
                .patch, "/api/endpoints/support-bot",
                json: #"{"system_prompt":null,"rate_limit_rpm":null,"temperature":0.5}"#
            )
            #expect(patched.status == .ok, "\(patched.text)")
            let after = try patched.object()
            #expect(after["system_prompt"] is NSNull)
            #expect(after["rate_limit_rpm"] is NSNull)
            #expect(after["temperature"] as? Double == 0.5)
            #expect(after["version"] as? Int == 2)
            #expect(after["name"] as? String == "Support Bot")

            let unknown = try await client.call(.patch, "/api/endpoints/support-bot", json: #"{"colour":"red"}"#)
            #expect(unknown.status == .badRequest)
            #expect(try unknown.error()["param"] as? String == "colour")

            #expect(try await client.call(.delete, "/api/endpoints/demo").status == .conflict)
            #expect(try await client.call(.delete, "/api/endpoints/support-bot?version=2").status == .noContent)
            #expect(try await client.call(.get, "/api/endpoints/support-bot").status == .notFound)
        }
    }

    @Test("an API key's secret is write-only: masked in every answer, rotated by PATCH")
    func keySecretIsWriteOnly() async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway) { client in
            let secret = "sk-live-abcdefghijklmnop1234"
            let created = try await client.call(
                .post, "/api/keys",
                json:
                    #"{"name":"OpenAI","provider":"openai","secret":"\#(secret)","base_url":"https://api.openai.com/v1"}"#
            )
            #expect(created.status == .created)
            #expect(!created.text.contains(secret))
            let key = try created.object()
            #expect(key["masked"] as? String == "sk-…1234")
            #expect(key["base_url"] as? String == "https://api.openai.com/v1")
            #expect(key["secret"] == nil)
            let id = try #require(key["id"] as? String)

            let listed = try await client.call(.get, "/api/keys")
            #expect(!listed.text.contains(secret))
            #expect(listed.text.contains(id))

            let rotated = try await client.call(
                .patch, "/api/keys/\(id)", json: #"{"secret":"sk-next-zyxwvutsrqpo9876","base_url":null}"#)
            #expect(rotated.status == .ok)
            let after = try rotated.object()
            #expect(after["masked"] as? String == "sk-…9876")
            #expect(after["base_url"] is NSNull)
            #expect(!rotated.text.contains("zyxwvutsrqpo"))
            let missingSecret = try await client.call(.post, "/api/keys", json: #"{"name":"X","provider":"openai"}"#)
            #expect(missingSecret.status == .badRequest)
            #expect(try missingSecret.error()["param"] as? String == "secret")
        }
    }

    @Test("an access token is shown once, authenticates, and stops working when deleted")
    func tokenLifecycle() async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway) { client in
            let created = try await client.call(.post, "/api/tokens", json: #"{"name":"ci","role":"editor"}"#)
            #expect(created.status == .created)
            let body = try created.object()
            let token = try #require(body["token"] as? String)
            let id = try #require(body["id"] as? String)
            #expect(body["role"] as? String == "editor")

            let listed = try await client.call(.get, "/api/tokens")
            #expect(!listed.text.contains(token))
            #expect(listed.text.contains(id))

            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            #expect(try await client.call(.get, "/api/endpoints", as: nil, headers: bearer).status == .ok)
            #expect(try await client.call(.get, "/api/keys", as: nil, headers: bearer).status == .forbidden)
            #expect(try await client.call(.delete, "/api/tokens/\(id)").status == .noContent)
            #expect(try await client.call(.get, "/api/endpoints", as: nil, headers: bearer).status == .unauthorized)

            let badRole = try await client.call(.post, "/api/tokens", json: #"{"name":"x","role":"owner"}"#)
            #expect(badRole.status == .badRequest)
            #expect(try badRole.error()["param"] as? String == "role")
        }
    }

    @Test("guardrail status counts active rules per endpoint")
    func guardrailStatus() async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway) { client in
            let response = try await client.call(.get, "/api/guardrails/status", as: .auditor)
            #expect(response.status == .ok)
            let body = try response.object()
            #expect(body["active"] as? Int == 0)
            #expect((body["by_endpoint"] as? [String: Any])?.isEmpty == true)
        }
    }

    @Test("/healthz and /metrics answer without a token")
    func healthAndMetrics() async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway) { client in
            let health = try await client.call(.get, "/healthz", as: nil)
            #expect(health.status == .ok)
            #expect(health.text == #"{"status":"ok"}"#)
            let metrics = try await client.call(.get, "/metrics", as: nil)
            #expect(metrics.status == .ok)
            #expect(metrics.text == "test_metric 1\n")
        }
    }

    @Test(
        "logs one line per request with endpoint, status and latency, never the token or prompt",
        arguments: ChatPath.allCases
    )
    func accessLog(path: ChatPath) async throws {
        let lines = LogLines()
        let logger = Logger(label: "access", factory: { _ in lines })
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: path, logger: logger) { client in
            _ = try await client.call(.post, "/v1/chat/completions", json: chatBody("demo", "a private prompt"))
            _ = try await client.call(.get, "/api/endpoints/nope")
        }
        let requests = lines.entries.filter { $0.message == "request" }
        #expect(requests.count == 2)
        let chat = try #require(requests.first)
        #expect(chat.metadata["http.method"] == "POST")
        #expect(chat.metadata["http.path"] == "/v1/chat/completions")
        #expect(chat.metadata["gateway.endpoint"] == "demo")
        #expect(chat.metadata["http.status"] == "200")
        #expect(chat.metadata["gateway.fallback"] == "false")
        #expect(chat.metadata["http.latency_ms"] != nil)
        #expect(chat.metadata["hb.request.id"]?.isEmpty == false)
        #expect(requests.last?.metadata["http.status"] == "404")
        let everything = lines.entries.map { "\($0.message) \($0.metadata)" }.joined()
        #expect(!everything.contains("a private prompt"))
        #expect(!everything.contains(Role.admin.testToken))
    }
}

/// A log handler that keeps every entry, for assertions.
struct LogLines: LogHandler {
    struct Entry: Sendable {
        var message: String
        var metadata: [String: String]
    }

    private let shared: SharedBox

    final class SharedBox: Sendable {
        let entries = Mutex<[Entry]>([])
    }

    init() { shared = SharedBox() }

    var entries: [Entry] { shared.entries.withLock { $0 } }

    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        all.merge(event.metadata ?? [:]) { $1 }
        let entry = Entry(message: "\(event.message)", metadata: all.mapValues { "\($0)" })
        shared.entries.withLock { $0.append(entry) }
    }
}
