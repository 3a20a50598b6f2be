import GatewayKit
import GatewayKitTesting

/// A master key for tests; 32+ characters.
let testMasterKey = "test-master-key-0123456789abcdefghijklmnop"

/// A gateway on an in-memory store with the in-memory limiter on `clock`.
func makeGateway(
    store: any GatewayStore = InMemoryGatewayStore(),
    clock: ManualClock = ManualClock(),
    transport: any HTTPTransport = HTTPClientTransport()
) async throws -> Gateway {
    try await Gateway(
        store: store, masterKey: testMasterKey,
        configuration: .init(limiter: InMemoryRateLimiter(clock: clock), transport: transport)
    )
}

extension ChatRequest {
    /// A one-message user request.
    static func user(_ text: String) -> ChatRequest { ChatRequest(messages: [.user(text)]) }
}

/// Runs `body` and returns the `GatewayError` it throws, or nil when it throws nothing.
func gatewayError(_ body: () async throws -> Void) async -> GatewayError? {
    do {
        try await body()
        return nil
    } catch let error as GatewayError {
        return error
    } catch {
        return GatewayError(.internal, "unexpected error type: \(error)")
    }
}
