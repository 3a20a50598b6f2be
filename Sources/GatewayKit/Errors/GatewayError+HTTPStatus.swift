public import HTTPTypes

extension GatewayError.Code {
    /// The HTTP status this code maps to.
    public var httpStatus: HTTPResponse.Status {
        switch self {
        case .invalidRequest, .guardrailBlocked, .upstreamRejected: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .rateLimited: .tooManyRequests
        case .upstreamAuthFailed, .upstream: .badGateway
        case .upstreamRateLimited, .storageUnavailable: .serviceUnavailable
        case .upstreamTimeout: .gatewayTimeout
        default: .internalServerError
        }
    }

    /// The OpenAI error `type` for this code (`invalid_request_error`, `rate_limit_error`, …).
    public var openAIType: String {
        switch self {
        case .invalidRequest, .guardrailBlocked, .upstreamRejected, .payloadTooLarge, .conflict:
            "invalid_request_error"
        case .unauthenticated: "authentication_error"
        case .forbidden: "permission_error"
        case .notFound: "not_found_error"
        case .rateLimited, .upstreamRateLimited: "rate_limit_error"
        default: "api_error"
        }
    }
}

extension GatewayError {
    /// The HTTP status for this error: the status of its ``code``.
    public var httpStatus: HTTPResponse.Status { code.httpStatus }
}
