/// Why a request failed, as the router sees it: this, not the HTTP status, decides fallback.
public struct FailureClass: Hashable, Sendable, CustomStringConvertible {
    private enum Base: String, Sendable {
        case none, callerFault = "caller_fault", credential, quota, rateLimit = "rate_limit", transient, timeout
        case gatewayLimit = "gateway_limit", blocked, unavailable
    }

    private let base: Base
    private init(_ base: Base) { self.base = base }

    /// Not an upstream failure (validation, permissions, a missing endpoint).
    public static let none = FailureClass(.none)
    /// The caller's own fault as judged by the provider: a bad request, context too long, content refused.
    public static let callerFault = FailureClass(.callerFault)
    /// The provider rejected the gateway's API key (401/403).
    public static let credential = FailureClass(.credential)
    /// The provider account is out of quota or credit.
    public static let quota = FailureClass(.quota)
    /// The provider is rate limiting or overloaded (429, 529).
    public static let rateLimit = FailureClass(.rateLimit)
    /// A 5xx, a refused or reset connection, a malformed answer.
    public static let transient = FailureClass(.transient)
    /// The provider did not answer in time.
    public static let timeout = FailureClass(.timeout)
    /// A fallback endpoint's own rate limit denied the attempt.
    public static let gatewayLimit = FailureClass(.gatewayLimit)
    /// A guardrail blocked the request.
    public static let blocked = FailureClass(.blocked)
    /// An endpoint in the chain was inactive, or not callable by this caller, so it was skipped.
    public static let unavailable = FailureClass(.unavailable)

    /// The classes that make the router try the next endpoint by default: every failure that is the
    /// gateway's or the provider's fault rather than the caller's.
    public static let defaultFallbackTriggers: Set<FailureClass> = [
        .credential, .quota, .rateLimit, .transient, .timeout, .gatewayLimit, .unavailable,
    ]

    /// The snake_case name (`"rate_limit"`).
    public var rawValue: String { base.rawValue }

    /// The class named `rawValue`, if there is one.
    public init?(rawValue: String) {
        guard let base = Base(rawValue: rawValue) else { return nil }
        self.base = base
    }

    public var description: String { base.rawValue }

    init(defaultFor code: GatewayError.Code) {
        switch code {
        case .upstreamRejected: self = .callerFault
        case .upstreamAuthFailed: self = .credential
        case .upstreamRateLimited: self = .rateLimit
        case .upstream: self = .transient
        case .upstreamTimeout: self = .timeout
        case .guardrailBlocked: self = .blocked
        default: self = .none
        }
    }
}
