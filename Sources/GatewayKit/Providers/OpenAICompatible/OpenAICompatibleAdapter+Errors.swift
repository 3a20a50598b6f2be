import HTTPTypes

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension OpenAICompatibleAdapter {
    /// What an OpenAI-compatible error body says, in any of the shapes hosts use: OpenAI's
    /// `{"error":{"message","type","param","code"}}` (Azure's code is a string like `"429"`,
    /// OpenRouter's an int), vLLM's and Mistral's flat `{"object":"error","message",…}`, and a bare
    /// `{"error":"text"}` or `{"detail":"text"}`.
    struct ErrorBody: Sendable, Equatable {
        var message: String?
        var type: String?
        var code: String?
        var numericCode: Int?
        /// OpenRouter's moderation refusals carry `metadata.reasons`.
        var flaggedByModeration = false

        init?(json data: Data) {
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return nil }
            self.init(value)
        }

        init?(_ value: JSONValue) {
            if let error = value["error"], error != .null {
                if let text = error.stringValue {
                    message = text
                    return
                }
                guard error.objectValue != nil else { return nil }
                read(fields: error)
            } else if value["object"]?.stringValue == "error" || value["message"] != nil {
                read(fields: value)
            } else if let detail = value["detail"], detail != .null {
                message = Self.text(detail)
            } else {
                return nil
            }
        }

        private mutating func read(fields: JSONValue) {
            message = fields["message"].flatMap(Self.text)
            type = fields["type"]?.stringValue
            switch fields["code"] {
            case .string(let text)?:
                code = text
                numericCode = Int(text)
            case .int(let number)?:
                code = String(number)
                numericCode = number
            default:
                break
            }
            flaggedByModeration = fields["metadata"]?["reasons"] != nil
        }

        private static func text(_ value: JSONValue) -> String? {
            if let text = value.stringValue { return text }
            if value == .null { return nil }
            // Mistral's 422 puts a validation object in `message`: show it as compact JSON.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
        }

        var isQuota: Bool {
            let quotaCodes: Set<String> = ["insufficient_quota", "credit_balance_exhausted"]
            return [code, type].contains { $0.map(quotaCodes.contains) ?? false }
        }

        /// The HTTP status an error inside a 200 body stands for.
        var impliedStatus: Int {
            if let numericCode, (400...599).contains(numericCode) { return numericCode }
            switch code ?? type {
            case "insufficient_quota", "credit_balance_exhausted", "rate_limit_exceeded", "rate_limit_error":
                return 429
            case "invalid_api_key", "authentication_error": return 401
            case "permission_error", "permission_denied": return 403
            case "model_not_found", "not_found_error": return 404
            case "invalid_request_error", "context_length_exceeded", "invalid_request": return 400
            default: return 500
            }
        }
    }

    func classify(_ body: ErrorBody?, status: Int, headers: HTTPFields, call: ProviderCall) -> GatewayError {
        let name = configuration.name
        var message = body?.message.map { "\(name): \($0)" } ?? "\(name) answered HTTP \(status)"
        if let secret = call.secret, !secret.isEmpty {
            message = message.replacing(secret.reveal(), with: "<redacted>")
        }
        if message.count > Self.maxMessageLength { message = String(message.prefix(Self.maxMessageLength)) + "…" }
        let effective = (200..<300).contains(status) ? (body?.impliedStatus ?? 500) : status
        let quota = body?.isQuota ?? false
        let code: GatewayError.Code
        var failureClass: FailureClass?
        var retryAfter: Duration?
        switch effective {
        case 402:
            (code, failureClass) = (.upstreamAuthFailed, .quota)
        case 400..<500 where quota:
            (code, failureClass) = (.upstreamAuthFailed, .quota)
        case 429:
            code = .upstreamRateLimited
            retryAfter = Self.retryAfter(headers)
        case 401, 403:
            code = body?.flaggedByModeration == true ? .upstreamRejected : .upstreamAuthFailed
        case 408, 504:
            code = .upstreamTimeout
        case 409, 500...:
            code = .upstream
            retryAfter = Self.retryAfter(headers)
        case 400..<500:
            code = .upstreamRejected
        default:
            code = .upstream
        }
        return GatewayError(
            code, message, failureClass: failureClass, retryAfter: retryAfter, upstreamStatus: status
        )
    }

    static let maxMessageLength = 1000

    /// `retry-after-ms` (milliseconds), else `retry-after` in seconds; an HTTP date is not used.
    static func retryAfter(_ headers: HTTPFields) -> Duration? {
        if let name = HTTPField.Name("retry-after-ms"), let text = headers[name],
            let milliseconds = Double(text.trimmingWhitespace()), milliseconds.isFinite, milliseconds > 0
        {
            return .milliseconds(milliseconds)
        }
        if let text = headers[.retryAfter], let seconds = Double(text.trimmingWhitespace()), seconds.isFinite,
            seconds > 0
        {
            return .seconds(seconds)
        }
        return nil
    }
}
