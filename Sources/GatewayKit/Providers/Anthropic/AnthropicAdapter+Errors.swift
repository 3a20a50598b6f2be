extension AnthropicAdapter {
    /// The status an error `type` stands for, for errors that arrive inside a 200 stream.
    static func status(forErrorType type: String?) -> Int {
        switch type {
        case "invalid_request_error": 400
        case "authentication_error": 401
        case "billing_error": 402
        case "permission_error": 403
        case "not_found_error": 404
        case "request_too_large": 413
        case "rate_limit_error": 429
        case "timeout_error": 504
        case "overloaded_error": 529
        default: 500
        }
    }

    /// Classifies an Anthropic error. `status` is the HTTP status, or `nil` for an `error` event
    /// inside a stream (then the error `type` decides).
    static func classify(
        status: Int?, error: AnthropicWireError?, retryAfter: Duration?, secret: Secret?
    ) -> GatewayError {
        let effective = status ?? Self.status(forErrorType: error?.type)
        let message = Self.message(status: status, error: error, secret: secret)
        let code: GatewayError.Code
        var failureClass: FailureClass?
        switch effective {
        case 429 where error?.details?.errorCode == "enforced_spend_limit_reached":
            code = .upstreamAuthFailed
            failureClass = .quota
        case 429, 529:
            code = .upstreamRateLimited
        case 402:
            code = .upstreamAuthFailed
            failureClass = .quota
        case 400 where Self.isCreditExhausted(error?.message):
            // Anthropic answers 400 "Your credit balance is too low…" when the account is out of credit.
            code = .upstreamAuthFailed
            failureClass = .quota
        case 401, 403:
            code = .upstreamAuthFailed
        case 408, 504:
            code = .upstreamTimeout
        case 409:
            // A conflict is transient for Anthropic (its SDK retries it).
            code = .upstream
        case 400..<500:
            code = .upstreamRejected
        default:
            code = .upstream
        }
        let retry = code == .upstreamRateLimited ? retryAfter : nil
        return GatewayError(code, message, failureClass: failureClass, retryAfter: retry, upstreamStatus: status)
    }

    static func isCreditExhausted(_ message: String?) -> Bool {
        message?.lowercased().contains("credit balance") == true
    }

    /// `Anthropic: <provider message>`, never longer than 1,000 characters and with the API key
    /// removed should the provider ever echo it.
    static func message(status: Int?, error: AnthropicWireError?, secret: Secret?) -> String {
        var text: String
        if let providerMessage = error?.message, !providerMessage.isEmpty {
            text = "Anthropic: " + providerMessage
            if let type = error?.type { text += " (\(type))" }
        } else if let status {
            text = "Anthropic answered HTTP \(status)" + (error?.type.map { " (\($0))" } ?? "")
        } else {
            text = "Anthropic reported an error in the stream" + (error?.type.map { " (\($0))" } ?? "")
        }
        if let secret, !secret.isEmpty {
            text = text.replacing(secret.reveal(), with: "<redacted>")
        }
        return text.count > 1000 ? String(text.prefix(1000)) + "…" : text
    }
}
