import GatewayExampleSupport
import Logging

/// The server's settings: each flag, else its environment variable, else the default.
struct ServerSettings: Sendable {
    var host: String
    var port: Int
    var store: StoreOption
    var redisURL: String?
    var configFile: String?
    var maxBodyBytes: Int
    var usageRetentionDays: Int
    var logLevel: Logger.Level
    var upstreamClient: UpstreamClient
    var chatRoutes: ChatRoutes
    /// Seconds between checks for idleness, after which freed heap memory is given back; nil: never.
    var idleTrimInterval: Duration?
    var masterKey: String
    var previousMasterKeys: [String]
    var generatedMasterKey: Bool
    var adminToken: String?
    var environment: [String: String]

    init(command: GatewayServerCommand, environment: [String: String]) throws(ExampleError) {
        func value(_ flag: String?, _ variable: String) -> String? {
            flag ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        }
        func integer(_ flag: Int?, _ variable: String, default fallback: Int) throws(ExampleError) -> Int {
            if let flag { return flag }
            guard let text = value(nil, variable) else { return fallback }
            guard let number = Int(text) else {
                throw ExampleError("\(variable) must be a whole number, not '\(text)'")
            }
            return number
        }
        self.environment = environment
        host = value(command.host, "GATEWAY_HOST") ?? "127.0.0.1"
        port = try integer(command.port, "GATEWAY_PORT", default: 8080)
        guard (0...65535).contains(port) else { throw ExampleError("the port must be 0-65535, not \(port)") }
        store = try StoreOption(parsing: value(command.store, "GATEWAY_STORE") ?? "sqlite:gateway.sqlite")
        redisURL = value(command.redis, "GATEWAY_REDIS_URL")
        configFile = value(command.config, "GATEWAY_CONFIG")
        maxBodyBytes = try integer(command.maxBodyBytes, "GATEWAY_MAX_BODY_BYTES", default: 4 << 20)
        guard maxBodyBytes > 0 else { throw ExampleError("the body limit must be positive, not \(maxBodyBytes)") }
        usageRetentionDays = try integer(command.usageRetentionDays, "GATEWAY_USAGE_RETENTION_DAYS", default: 30)
        guard usageRetentionDays > 0 else {
            throw ExampleError("usage retention must be at least one day, not \(usageRetentionDays)")
        }
        let level = value(command.logLevel, "GATEWAY_LOG_LEVEL") ?? "info"
        guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ExampleError("the log level must be one of \(names), not '\(level)'")
        }
        logLevel = parsed
        let client = value(nil, "GATEWAY_UPSTREAM_CLIENT") ?? UpstreamClient.nio.rawValue
        guard let upstreamClient = UpstreamClient(rawValue: client) else {
            throw ExampleError("GATEWAY_UPSTREAM_CLIENT must be nio or asynchttpclient, not '\(client)'")
        }
        self.upstreamClient = upstreamClient
        let chat = value(nil, "GATEWAY_CHAT_ROUTES") ?? ChatRoutes.connection.rawValue
        guard let chatRoutes = ChatRoutes(rawValue: chat) else {
            throw ExampleError("GATEWAY_CHAT_ROUTES must be connection or router, not '\(chat)'")
        }
        self.chatRoutes = chatRoutes
        let trimSeconds = try integer(nil, "GATEWAY_IDLE_TRIM_SECONDS", default: 2)
        guard trimSeconds >= 0 else {
            throw ExampleError("GATEWAY_IDLE_TRIM_SECONDS must be 0 (never) or more, not \(trimSeconds)")
        }
        idleTrimInterval = trimSeconds == 0 ? nil : .seconds(trimSeconds)
        (masterKey, generatedMasterKey) = try MasterKey.resolve(environment: environment, store: store)
        previousMasterKeys = try MasterKey.previous(environment: environment)
        adminToken = value(nil, "GATEWAY_ADMIN_TOKEN")
    }
}

/// The HTTP client the server calls providers with.
enum UpstreamClient: String, Sendable {
    /// ``NIOHTTPTransport``: keep-alive pools on the server's own event loops.
    case nio
    /// ``HTTPClientTransport``: AsyncHTTPClient.
    case asynchttpclient
}

/// Where the chat routes are answered.
enum ChatRoutes: String, Sendable {
    /// ``GatewayChatHandler``, on the connection, before the router.
    case connection
    /// The Hummingbird router, with every other route.
    case router
}
