/// The one error type GatewayKit throws across its public API.
///
/// A `GatewayError` has a stable ``code`` that maps to an HTTP status (see ``httpStatus``), a
/// ``failureClass`` that decides whether the router falls back, and the trail of upstream
/// ``attempts`` that led to it. Its ``description`` and ``message`` are safe to show to users:
/// they never contain a secret or an upstream body beyond the provider's own error message.
public struct GatewayError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A stable, machine-readable error code. New codes may be added in minor releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidRequest = "invalid_request"
            case unauthenticated
            case forbidden
            case notFound = "not_found"
            case conflict
            case payloadTooLarge = "payload_too_large"
            case rateLimited = "rate_limited"
            case guardrailBlocked = "guardrail_blocked"
            case upstreamRejected = "upstream_rejected"
            case upstreamAuthFailed = "upstream_auth_failed"
            case upstreamRateLimited = "upstream_rate_limited"
            case upstream = "upstream_error"
            case upstreamTimeout = "upstream_timeout"
            case storageUnavailable = "storage_unavailable"
            case `internal` = "internal_error"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The request is malformed or breaks a rule (HTTP 400).
        public static let invalidRequest = Code(.invalidRequest)
        /// No valid credential was presented (HTTP 401).
        public static let unauthenticated = Code(.unauthenticated)
        /// The caller's role may not do this (HTTP 403).
        public static let forbidden = Code(.forbidden)
        /// No such endpoint, key or token, or one the caller may not see (HTTP 404).
        public static let notFound = Code(.notFound)
        /// A stale version or a name that is taken (HTTP 409).
        public static let conflict = Code(.conflict)
        /// The request body is over the configured limit (HTTP 413).
        public static let payloadTooLarge = Code(.payloadTooLarge)
        /// The endpoint's own rate limit denied the request (HTTP 429 with `Retry-After`).
        public static let rateLimited = Code(.rateLimited)
        /// A guardrail rule blocked the request or the answer (HTTP 400).
        public static let guardrailBlocked = Code(.guardrailBlocked)
        /// The provider refused the request as the caller's fault (HTTP 400): never falls back.
        public static let upstreamRejected = Code(.upstreamRejected)
        /// The provider rejected the gateway's API key or its quota is spent (HTTP 502).
        public static let upstreamAuthFailed = Code(.upstreamAuthFailed)
        /// The provider is rate limiting or overloaded (HTTP 503).
        public static let upstreamRateLimited = Code(.upstreamRateLimited)
        /// The provider failed: a 5xx, a refused or reset connection, a malformed answer (HTTP 502).
        public static let upstream = Code(.upstream)
        /// The provider did not answer within the endpoint's timeout (HTTP 504).
        public static let upstreamTimeout = Code(.upstreamTimeout)
        /// The configuration store cannot be reached (HTTP 503).
        public static let storageUnavailable = Code(.storageUnavailable)
        /// A bug or an unexpected state inside the gateway (HTTP 500).
        public static let `internal` = Code(.internal)

        /// The snake_case wire form, as used in the OpenAI error shape (`"rate_limited"`).
        public var rawValue: String { base.rawValue }

        /// The code whose ``rawValue`` is `rawValue`, if there is one.
        public init?(rawValue: String) {
            guard let base = Base(rawValue: rawValue) else { return nil }
            self.base = base
        }

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is; the router decides fallback from it.
    public var code: Code
    /// Why the failure happened, from the router's point of view.
    public var failureClass: FailureClass
    /// A human-readable message, safe to show to the caller.
    public var message: String
    /// The request field the error is about, when there is one (`"temperature"`, `"fallbacks"`).
    public var field: String?
    /// How long the caller should wait before trying again, for rate limits.
    public var retryAfter: Duration?
    /// The HTTP status the upstream provider answered with, when the error came from one.
    public var upstreamStatus: Int?
    /// The attempts the router made before giving up, oldest first.
    public var attempts: [Attempt]
    /// The rate-limit decision behind a `rateLimited` error, for `x-ratelimit-*` headers.
    public var rateLimit: RateLimitDecision?
    /// The lower-level error that caused this one (a transport or storage error), for debugging.
    public var underlying: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the stable code.
    ///   - message: a message safe to show to a caller; never put a secret in it.
    ///   - field: the request field at fault, if any.
    ///   - failureClass: the failure class; defaults to the one implied by `code`.
    ///   - retryAfter: how long to wait before retrying, for rate limits.
    ///   - upstreamStatus: the provider's HTTP status, for upstream errors.
    ///   - underlying: the lower-level cause.
    public init(
        _ code: Code,
        _ message: String,
        field: String? = nil,
        failureClass: FailureClass? = nil,
        retryAfter: Duration? = nil,
        upstreamStatus: Int? = nil,
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.field = field
        self.failureClass = failureClass ?? FailureClass(defaultFor: code)
        self.retryAfter = retryAfter
        self.upstreamStatus = upstreamStatus
        self.attempts = []
        self.underlying = underlying
    }

    public var description: String {
        "GatewayError.\(code): \(message)"
    }

    public var debugDescription: String {
        var text = "GatewayError(code: \(code), class: \(failureClass), message: \(message)"
        if let field { text += ", field: \(field)" }
        if let upstreamStatus { text += ", upstreamStatus: \(upstreamStatus)" }
        if !attempts.isEmpty { text += ", attempts: \(attempts)" }
        if let underlying { text += ", underlying: \(String(reflecting: underlying))" }
        return text + ")"
    }
}

extension GatewayError {
    static func invalid(_ field: String, _ message: String) -> GatewayError {
        GatewayError(.invalidRequest, message, field: field)
    }

    static func notFound(_ message: String) -> GatewayError {
        GatewayError(.notFound, message)
    }

    /// An error from an upstream call as a `GatewayError`: one that already is stays as it is;
    /// anything else (a decoding or transport failure) is a transient upstream failure.
    static func classifying(_ error: any Error) -> GatewayError {
        if let error = error as? GatewayError { return error }
        if error is DecodingError {
            return GatewayError(.upstream, "the provider's answer could not be read", underlying: error)
        }
        return GatewayError(.upstream, "the call to the provider failed", underlying: error)
    }

    /// Wraps any error as a `GatewayError`, keeping one that already is.
    static func wrapping(_ error: any Error, as code: Code = .internal, _ message: String) -> GatewayError {
        if let error = error as? GatewayError { return error }
        return GatewayError(code, message, underlying: error)
    }
}
