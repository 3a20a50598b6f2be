import Foundation
import GatewayKit
import GatewayKitHTTP
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

let testMasterKey = "test-master-key-0123456789abcdefghijklmnop"

extension Role {
    /// The bearer token each test gateway seeds for this role.
    var testToken: String { "test-\(rawValue)-token-0123456789" }
}

/// A gateway on an in-memory store with the mock provider, the test providers, one seeded token
/// per role, the endpoint `demo` on `mock/echo`, and usage recorded into `usage`.
func makeTestGateway(
    extraProviders: [(Provider, any InProcessProvider)] = [], guardrails: [any Guardrail] = [],
    usage: (any UsageSink)? = InMemoryUsageStore()
) async throws -> Gateway {
    var providers = ProviderRegistry.standard
    // Key and endpoint routes need these providers known; these tests never call them.
    for name in [Provider.openai, .ollama] where providers.entry(for: name) == nil {
        providers.register(BreakingProvider(), for: name)
    }
    for (name, provider) in extraProviders { providers.register(provider, for: name) }
    let gateway = try await Gateway(
        store: InMemoryGatewayStore(), masterKey: testMasterKey,
        configuration: .init(providers: providers, guardrails: guardrails, usage: .init(sink: usage))
    )
    for role in Role.allCases {
        try await gateway.tokens.seed(name: "\(role) test token", role: role, token: Secret(role.testToken))
    }
    try await gateway.endpoints.create(.init(name: "Demo", slug: "demo", model: "mock/echo"), by: .admin)
    return gateway
}

/// Where a live server answers the chat routes.
enum ChatPath: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// The Hummingbird router, as every other route.
    case router
    /// ``GatewayChatHandler``, on the connection.
    case connection

    var testDescription: String { rawValue }
}

/// Serves `gateway` on a real socket on 127.0.0.1 and runs `test` with a client for it.
func withLiveServer(
    _ gateway: Gateway, chat: ChatPath = .router, maxBodyBytes: Int = 4 << 20, connectionHandler: Bool = true,
    logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
    _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let router = Router(context: BasicGatewayRequestContext.self)
    let routes = GatewayRoutes<BasicGatewayRequestContext>(
        gateway: gateway, configuration: .init(maxBodyBytes: maxBodyBytes, metricsText: { "test_metric 1\n" })
    )
    routes.register(on: router)
    let handlers: @Sendable () -> [any RemovableChannelHandler] = {
        let chatHandler: [any RemovableChannelHandler] =
            chat == .connection ? [routes.makeChatHandler(logger: logger, serverName: "test-server")] : []
        return chatHandler + (connectionHandler ? [GatewayConnectionHandler()] : [])
    }
    let app = Application(
        router: router, server: .http1(configuration: .init(additionalChannelHandlers: handlers())),
        configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "test-server"), logger: logger)
    try await app.test(.live) { client in
        try await test(client)
    }
}

extension TestClientProtocol {
    /// Sends a request as `role` (nil: no Authorization header) with an optional JSON body.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, as role: Role? = .admin, json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let role { headers[.authorization] = "Bearer \(role.testToken)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [String: Any], "not a JSON object: \(text)")
    }

    /// The OpenAI error object of an error response.
    func error() throws -> [String: Any] {
        try #require(try object()["error"] as? [String: Any], "no error object in \(text)")
    }

    /// The `data:` payloads of a server-sent event stream, in order.
    var events: [String] {
        text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { event in
            event.hasPrefix("data: ") ? String(event.dropFirst("data: ".count)) : "MALFORMED: \(event)"
        }
    }
}

/// `{"model": slug, "messages": [{"role": "user", "content": text}]}` plus extra fields.
func chatBody(_ slug: String, _ text: String, extra: String = "") -> String {
    #"{"model":"\#(slug)","messages":[{"role":"user","content":"\#(text)"}]\#(extra.isEmpty ? "" : "," + extra)}"#
}
