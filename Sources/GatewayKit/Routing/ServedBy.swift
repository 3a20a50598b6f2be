/// Which endpoint, provider and model served a request, whether a fallback did, and every attempt.
public struct ServedBy: Sendable, Hashable {
    /// The endpoint that answered.
    public var endpoint: Endpoint.Slug
    /// The model that answered.
    public var model: ModelRef
    /// Whether an endpoint other than the one called answered.
    public var usedFallback: Bool
    /// Every attempt, oldest first; the last one succeeded.
    public var attempts: [Attempt]

    /// Creates the record.
    public init(endpoint: Endpoint.Slug, model: ModelRef, usedFallback: Bool, attempts: [Attempt]) {
        self.endpoint = endpoint
        self.model = model
        self.usedFallback = usedFallback
        self.attempts = attempts
    }
}

/// One try of one endpoint's target. Never holds a secret.
public struct Attempt: Sendable, Hashable, CustomStringConvertible {
    /// How an attempt ended.
    public enum Outcome: Sendable, Hashable {
        /// It answered.
        case success
        /// It failed with this code and class; `status` is the provider's HTTP status when there was one.
        case failure(code: GatewayError.Code, failureClass: FailureClass, status: Int?)
    }

    /// The endpoint tried.
    public var endpoint: Endpoint.Slug
    /// The model tried; `nil` when the endpoint was skipped before a target was picked.
    public var model: ModelRef?
    /// The API key used, by id.
    public var apiKeyID: APIKey.ID?
    /// How it ended.
    public var outcome: Outcome
    /// How long it took.
    public var latency: Duration

    /// Creates an attempt record.
    public init(endpoint: Endpoint.Slug, model: ModelRef?, apiKeyID: APIKey.ID?, outcome: Outcome, latency: Duration) {
        self.endpoint = endpoint
        self.model = model
        self.apiKeyID = apiKeyID
        self.outcome = outcome
        self.latency = latency
    }

    /// The provider tried, when a target was picked.
    public var provider: Provider? { model?.provider }

    public var description: String {
        let what = model.map { "\(endpoint) (\($0))" } ?? "\(endpoint)"
        switch outcome {
        case .success: return "\(what): success in \(latency)"
        case .failure(let code, let failureClass, let status):
            return "\(what): \(code)/\(failureClass)\(status.map { " HTTP \($0)" } ?? "") in \(latency)"
        }
    }
}
