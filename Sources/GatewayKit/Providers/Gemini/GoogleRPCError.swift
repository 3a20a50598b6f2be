import HTTPTypes
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Classifies Google's RPC error envelope, used by Gemini and Vertex AI:
/// `{"error":{"code":429,"message":"…","status":"RESOURCE_EXHAUSTED","details":[…]}}`.
enum GoogleRPCError {
    static func classify(provider: Provider, status: Int, headers: HTTPFields, body: ByteBuffer) -> GatewayError {
        let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
        // Without `alt=sse`, errors may come wrapped in the array a stream would have been.
        let error = parsed?["error"] ?? parsed?.arrayValue?.first?["error"]
        guard let error, error.objectValue != nil else {
            return classify(provider: provider, status: status, error: .object([:]), headers: headers)
        }
        return classify(provider: provider, status: status, error: error, headers: headers)
    }

    /// Whether `body` is a Google RPC error envelope (an `error` object with a `status` or a
    /// numeric `code`), as opposed to another publisher's error shape.
    static func isGoogleBody(_ body: ByteBuffer) -> Bool {
        let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
        guard let error = parsed?["error"] ?? parsed?.arrayValue?.first?["error"] else { return false }
        return error["status"]?.stringValue != nil || error["code"]?.intValue != nil
    }

    /// Classifies one `error` object; `status` is the HTTP status, or `nil` inside a 200 stream,
    /// where the object's own `code` stands for it.
    static func classify(provider: Provider, status: Int?, error: JSONValue, headers: HTTPFields) -> GatewayError {
        let http = status ?? error["code"]?.intValue ?? rpcHTTPStatus(error["status"]?.stringValue)
        let rpc = error["status"]?.stringValue ?? ""
        let details = error["details"]?.arrayValue ?? []
        let providerMessage = error["message"]?.stringValue.map { String($0.prefix(500)) }
        let message = "\(provider): " + (providerMessage ?? (rpc.isEmpty ? "HTTP \(http)" : "\(rpc) (HTTP \(http))"))

        func make(_ code: GatewayError.Code, _ failureClass: FailureClass? = nil, retryAfter: Duration? = nil)
            -> GatewayError
        {
            GatewayError(code, message, failureClass: failureClass, retryAfter: retryAfter, upstreamStatus: http)
        }
        if rpc == "RESOURCE_EXHAUSTED" || http == 429 {
            if isPerDayQuota(details) { return make(.upstreamAuthFailed, .quota) }
            return make(.upstreamRateLimited, retryAfter: retryDelay(details) ?? retryAfterHeader(headers))
        }
        if rpc == "UNAUTHENTICATED" || rpc == "PERMISSION_DENIED" || http == 401 || http == 403
            || isKeyRejected(details)
        {
            return make(.upstreamAuthFailed)
        }
        if rpc == "DEADLINE_EXCEEDED" || http == 408 || http == 504 { return make(.upstreamTimeout) }
        if http >= 500 || rpc == "INTERNAL" || rpc == "UNAVAILABLE" { return make(.upstream) }
        // A conflict (ABORTED) is a concurrency hiccup, worth another endpoint; other 4xx are the caller's.
        if http == 409 || rpc == "ABORTED" { return make(.upstream) }
        if (400..<500).contains(http) { return make(.upstreamRejected) }
        return make(.upstream)
    }

    private static func rpcHTTPStatus(_ rpc: String?) -> Int {
        switch rpc {
        case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE": 400
        case "UNAUTHENTICATED": 401
        case "PERMISSION_DENIED": 403
        case "NOT_FOUND": 404
        case "ABORTED", "ALREADY_EXISTS": 409
        case "RESOURCE_EXHAUSTED": 429
        case "UNAVAILABLE": 503
        case "DEADLINE_EXCEEDED": 504
        default: 500
        }
    }

    private static func detail(_ details: [JSONValue], type: String) -> [JSONValue] {
        details.filter { $0["@type"]?.stringValue?.hasSuffix(type) == true }
    }

    // A per-day quota only resets tomorrow: falling back is right, retrying soon is not.
    private static func isPerDayQuota(_ details: [JSONValue]) -> Bool {
        detail(details, type: "google.rpc.QuotaFailure").contains { failure in
            (failure["violations"]?.arrayValue ?? []).contains { violation in
                let id = (violation["quotaId"]?.stringValue ?? "") + (violation["quotaMetric"]?.stringValue ?? "")
                return id.lowercased().contains("perday")
            }
        }
    }

    // Gemini answers a bad API key with 400 INVALID_ARGUMENT and an ErrorInfo reason.
    private static func isKeyRejected(_ details: [JSONValue]) -> Bool {
        detail(details, type: "google.rpc.ErrorInfo").contains {
            let reason = $0["reason"]?.stringValue ?? ""
            return reason == "API_KEY_INVALID" || reason == "API_KEY_EXPIRED" || reason == "API_KEY_SERVICE_BLOCKED"
        }
    }

    // RetryInfo's `retryDelay` is a protobuf Duration in JSON: seconds with an `s` suffix ("34s", "0.5s").
    private static func retryDelay(_ details: [JSONValue]) -> Duration? {
        for info in detail(details, type: "google.rpc.RetryInfo") {
            guard var text = info["retryDelay"]?.stringValue, text.hasSuffix("s") else { continue }
            text.removeLast()
            if let seconds = Double(text), seconds >= 0 { return .milliseconds(Int((seconds * 1000).rounded())) }
        }
        return nil
    }

    private static func retryAfterHeader(_ headers: HTTPFields) -> Duration? {
        guard let name = HTTPField.Name("retry-after"), let value = headers[name], let seconds = Int(value),
            seconds >= 0
        else {
            return nil
        }
        return .seconds(seconds)
    }
}
