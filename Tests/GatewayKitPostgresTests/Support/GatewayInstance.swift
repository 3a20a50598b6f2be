import GatewayKit
import GatewayKitPostgres
import Testing

/// One gateway instance as `gateway-server` would run it: its own PostgresGatewayStore on the
/// shared database, the store and `gateway.run()` both running for the duration of `body`.
func withGatewayInstance<T: Sendable>(
    on database: TestDatabase, masterKey: String = GatewayFixture.masterKey, previousMasterKeys: [String] = [],
    _ body: (Gateway) async throws -> T
) async throws -> T {
    try await withGatewayInstance(
        url: database.url, masterKey: masterKey, previousMasterKeys: previousMasterKeys, body)
}

func withGatewayInstance<T: Sendable>(
    url: String, masterKey: String = GatewayFixture.masterKey, previousMasterKeys: [String] = [],
    _ body: (Gateway) async throws -> T
) async throws -> T {
    var configuration = try PostgresGatewayStore.Configuration(url: url)
    configuration.maximumReconnectDelay = .milliseconds(500)
    let store = PostgresGatewayStore(configuration: configuration)
    return try await store.withRunning {
        let gateway = try await Gateway(
            store: store, masterKey: masterKey, previousMasterKeys: previousMasterKeys,
            configuration: .init(providers: GatewayFixture.providers)
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            defer { group.cancelAll() }
            return try await body(gateway)
        }
    }
}

enum GatewayFixture {
    static let masterKey = "postgres-tests-master-key-0123456789abcdef"
    static let newMasterKey = "postgres-tests-NEW-master-key-fedcba9876543210"

    /// A provider answering with the label of the secret it was called with.
    static let labelled = Provider(rawValue: "labelled")

    /// The upstream secrets the tests use, and the label the provider answers for each.
    static let secrets = [
        "sk-test-first-0001": "first", "sk-test-second-0002": "second", "sk-test-third-0003": "third",
    ]

    static var providers: ProviderRegistry {
        var registry = ProviderRegistry.standard
        registry.register(SecretLabelProvider(labels: secrets), for: labelled)
        return registry
    }
}

/// Polls `condition` until it holds; returns how long that took, or fails the test after `timeout`.
///
/// A change reaches the other instance within a second, in milliseconds when the machine is
/// idle. The default allows 5 s because CI machines are shared: on one, a whole test that takes
/// half a second here took 13 s, and a change took more than a second to arrive.
@discardableResult
func eventually(
    within timeout: Duration = .seconds(5), _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async -> Bool
) async throws -> Duration {
    let clock = ContinuousClock()
    let start = clock.now
    while true {
        if await condition() { return clock.now - start }
        guard clock.now - start < timeout else {
            Issue.record("\(what): not within \(timeout)", sourceLocation: sourceLocation)
            throw Timeout()
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

struct Timeout: Error {}

extension Gateway {
    /// The text of a one-message request to `slug`, or the error code when it fails.
    func answer(_ slug: Endpoint.Slug, _ text: String = "ping") async -> Result<String, GatewayError> {
        do {
            let response = try await router.complete(slug: slug, request: .init(messages: [.user(text)]), as: .admin)
            return .success(response.text)
        } catch let error as GatewayError {
            return .failure(error)
        } catch {
            return .failure(GatewayError(.internal, "unexpected \(error)"))
        }
    }
}
