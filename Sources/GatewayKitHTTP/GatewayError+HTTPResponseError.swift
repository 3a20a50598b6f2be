public import GatewayKit
public import HTTPTypes
public import Hummingbird
import NIOCore

extension GatewayError: HTTPResponseError {
    /// The HTTP status: the status of the error's code.
    public var status: HTTPResponse.Status { httpStatus }

    /// The error as an OpenAI-shaped JSON response, with `Retry-After` and rate-limit headers
    /// when the error carries them.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: responseHeaders, body: .init(byteBuffer: ByteBuffer(bytes: openAIBody)))
    }
}

extension GatewayError {
    /// `Content-Type`, and for rate limits `Retry-After` (whole seconds, at least 1) and the
    /// `x-ratelimit-*-requests` headers.
    var responseHeaders: HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter {
            headers[.retryAfter] = String(retryAfter.wholeSecondsRoundedUp)
        }
        if let rateLimit {
            headers[.rateLimitLimitRequests] = String(rateLimit.limit)
            headers[.rateLimitRemainingRequests] = String(rateLimit.remaining)
        }
        return headers
    }

    /// The OpenAI error object as a JSON value: `{"error": {"message", "type", "code", "param"}}`.
    var openAIObject: JSONValue {
        .object([
            "error": .object([
                "message": .string(message),
                "type": .string(code.openAIType),
                "code": .string(code.rawValue),
                "param": field.map(JSONValue.string) ?? .null,
            ])
        ])
    }

    /// The OpenAI error object, encoded.
    var openAIBody: [UInt8] {
        JSONWire.bytes(openAIObject)
    }

    /// Any error as a `GatewayError`: a Hummingbird `HTTPError` keeps its status and message,
    /// anything else becomes `internal` with a message that reveals nothing.
    static func fromHTTP(_ error: any Error) -> GatewayError {
        if let error = error as? GatewayError { return error }
        if let error = error as? HTTPError {
            let code: GatewayError.Code =
                switch error.status {
                case .notFound: .notFound
                case .unauthorized: .unauthenticated
                case .forbidden: .forbidden
                case .contentTooLarge: .payloadTooLarge
                case .conflict: .conflict
                case .tooManyRequests: .rateLimited
                case .serviceUnavailable: .storageUnavailable
                default: error.status.code < 500 ? .invalidRequest : .internal
                }
            let message = error.body ?? (error.status == .notFound ? "no such route" : error.status.reasonPhrase)
            return GatewayError(code, message, underlying: error)
        }
        return GatewayError(.internal, "the gateway failed to answer this request", underlying: error)
    }
}

extension Duration {
    /// Whole seconds, rounded up, at least 1: the `Retry-After` value.
    var wholeSecondsRoundedUp: Int64 {
        let (seconds, attoseconds) = components
        return max(1, seconds + (attoseconds > 0 ? 1 : 0))
    }
}

extension HTTPField.Name {
    static let rateLimitLimitRequests = constant("x-ratelimit-limit-requests")
    static let rateLimitRemainingRequests = constant("x-ratelimit-remaining-requests")
    static let gatewayEndpoint = constant("x-gateway-endpoint")
    static let gatewayFallback = constant("x-gateway-fallback")

    private static func constant(_ name: String) -> HTTPField.Name {
        guard let field = HTTPField.Name(name) else { preconditionFailure("'\(name)' is not a valid header name") }
        return field
    }
}
