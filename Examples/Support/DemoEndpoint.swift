public import GatewayKit

/// The `demo` endpoint on `mock/echo` a fresh store starts with, so a newcomer can call the
/// gateway at once.
public enum DemoEndpoint: Sendable {
    /// The demo endpoint's slug.
    public static let slug: Endpoint.Slug = "demo"

    /// Whether the store behind `gateway` is fresh: no endpoints and no API keys.
    /// - Throws: `GatewayError` only for a caller that may not list keys (never the in-process admin).
    public static func isFresh(_ gateway: Gateway) throws -> Bool {
        let keys = try gateway.keys.list(by: .admin)
        return gateway.endpoints.list(by: .admin).isEmpty && keys.isEmpty
    }

    /// Creates the demo endpoint when the store has no endpoints.
    /// - Returns: whether it was created.
    /// - Throws: `GatewayError` from the store.
    @discardableResult
    public static func create(in gateway: Gateway) async throws -> Bool {
        guard gateway.endpoints.list(by: .admin).isEmpty else { return false }
        do {
            try await gateway.endpoints.create(.init(name: "Demo", slug: slug, model: "mock/echo"), by: .admin)
        } catch let error as GatewayError where error.code == .conflict {
            // Another instance on the same store created it first.
            return false
        }
        return true
    }
}
