import HTTPTypes
import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension BedrockAdapter {
    /// The longest provider message kept in an error.
    private static let maxMessageLength = 500

    /// The value of header `name`, if present.
    static func header(_ headers: HTTPFields, _ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }

    /// The exception name from `x-amzn-ErrorType` (`ThrottlingException:http://…` → `ThrottlingException`)
    /// or the body's `__type` / `code` (`com.amazon.coral…#ValidationException` → `ValidationException`).
    static func exceptionName(headers: HTTPFields, body: ByteBuffer) -> String? {
        if let value = header(headers, "x-amzn-errortype"), let name = value.split(separator: ":").first, !name.isEmpty
        {
            return String(name).trimmingWhitespace()
        }
        let decoded = try? JSONDecoder().decode(BedrockWire.ErrorBody.self, from: Data(body.readableBytesView))
        guard let raw = decoded?.type ?? decoded?.code, !raw.isEmpty else { return nil }
        let afterHash = raw.split(separator: "#").last.map(String.init) ?? raw
        return afterHash.split(separator: ":").first.map(String.init)
    }

    /// The body's `message` (or `Message`), else a short note that there was none.
    static func errorMessage(_ body: ByteBuffer) -> String {
        let decoded = try? JSONDecoder().decode(BedrockWire.ErrorBody.self, from: Data(body.readableBytesView))
        let message = (decoded?.message ?? decoded?.upperMessage)?.trimmingWhitespace() ?? ""
        guard !message.isEmpty else { return "no message" }
        return message.count > maxMessageLength ? String(message.prefix(maxMessageLength)) + "…" : message
    }

    // AWS signature errors can quote the canonical request, which holds the session token; the
    // key's secrets are cut out of any message before it goes into an error.
    static func redacting(_ message: String, for call: ProviderCall) -> String {
        guard let credentials = try? credentials(from: call.secret) else { return message }
        var out = message
        for secret in [credentials.secretAccessKey.reveal(), credentials.sessionToken?.reveal()] {
            guard let secret, secret.count >= 4 else { continue }
            out = out.replacing(secret, with: "<redacted>")
        }
        return out
    }

    /// `retry-after` in seconds, when Bedrock (or a proxy in front of it) sends one.
    static func retryAfter(_ headers: HTTPFields) -> Duration? {
        guard let value = header(headers, "retry-after"), let seconds = Double(value.trimmingWhitespace()), seconds >= 0
        else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// The error for exception `name` (when known) or else `status`.
    static func classify(exception name: String?, status: Int?, message: String, retryAfter: Duration? = nil)
        -> GatewayError
    {
        let text = "bedrock: \(name ?? "HTTP \(status.map(String.init) ?? "error")"): \(message)"
        switch name.map(normalizedName) {
        case "throttlingexception", "modelnotreadyexception", "toomanyrequestsexception":
            return GatewayError(.upstreamRateLimited, text, retryAfter: retryAfter, upstreamStatus: status)
        case "serviceunavailableexception", "internalserverexception", "internalfailure", "modelerrorexception",
            "modelstreamerrorexception":
            return GatewayError(.upstream, text, upstreamStatus: status)
        case "modeltimeoutexception":
            return GatewayError(.upstreamTimeout, text, upstreamStatus: status)
        case "servicequotaexceededexception":
            return GatewayError(.upstreamAuthFailed, text, failureClass: .quota, upstreamStatus: status)
        case "validationexception", "resourcenotfoundexception", "serializationexception":
            return GatewayError(.upstreamRejected, text, upstreamStatus: status)
        case "accessdeniedexception", "unrecognizedclientexception", "invalidsignatureexception",
            "incompletesignatureexception", "expiredtokenexception", "missingauthenticationtokenexception",
            "invalidclienttokenid", "signaturedoesnotmatch":
            return GatewayError(.upstreamAuthFailed, text, upstreamStatus: status)
        default:
            return classify(status: status, text: text, retryAfter: retryAfter)
        }
    }

    private static func classify(status: Int?, text: String, retryAfter: Duration?) -> GatewayError {
        switch status {
        case 401, 403: GatewayError(.upstreamAuthFailed, text, upstreamStatus: status)
        case 408, 504: GatewayError(.upstreamTimeout, text, upstreamStatus: status)
        case 429: GatewayError(.upstreamRateLimited, text, retryAfter: retryAfter, upstreamStatus: status)
        case .some(400..<500): GatewayError(.upstreamRejected, text, upstreamStatus: status)
        default: GatewayError(.upstream, text, upstreamStatus: status)
        }
    }

    // Stream exception frames name the exception in lower camel case (`throttlingException`).
    private static func normalizedName(_ name: String) -> String { name.lowercased() }
}
