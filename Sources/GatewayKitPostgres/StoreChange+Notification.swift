import GatewayKit

// The payload of a `NOTIFY gatewaykit_changes` message: `endpoint:<slug>`, `api_key:<id>`,
// `access_token:<id>`, `guardrail:<id>` or `everything`. Slugs and ids hold no colon, but only the
// first one splits.
extension StoreChange {
    static let notificationChannel = "gatewaykit_changes"

    var notificationPayload: String {
        switch self {
        case .endpoint(let slug): "endpoint:\(slug.rawValue)"
        case .apiKey(let id): "api_key:\(id.rawValue)"
        case .accessToken(let id): "access_token:\(id.rawValue)"
        case .guardrail(let id): "guardrail:\(id.rawValue)"
        case .everything: "everything"
        }
    }

    // A payload this version does not know (a newer instance's) reloads everything.
    init(notificationPayload payload: String) {
        let parts = payload.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else {
            self = .everything
            return
        }
        let value = String(parts[1])
        switch parts[0] {
        case "endpoint": self = .endpoint(Endpoint.Slug(rawValue: value))
        case "api_key": self = .apiKey(APIKey.ID(rawValue: value))
        case "access_token": self = .accessToken(AccessToken.ID(rawValue: value))
        case "guardrail": self = .guardrail(GuardrailRule.ID(rawValue: value))
        default: self = .everything
        }
    }
}
