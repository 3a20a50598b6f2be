import GatewayKit
import HTTPTypes
import NIOCore
import Testing

@Suite struct GoogleRPCErrorTests {
    let adapter = GeminiAdapter()
    let call = GoogleFixtures.call("gemini-2.5-flash")

    func classify(_ status: Int, _ body: String, headers: HTTPFields = [:]) -> GatewayError {
        adapter.classifyError(status: status, headers: headers, body: ByteBuffer(string: body), for: call)
    }

    @Test("RESOURCE_EXHAUSTED is a rate limit with RetryInfo's retryDelay as retryAfter")
    func rateLimited() {
        let error = classify(
            429,
            """
            {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",
             "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure",
                         "violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel"}]},
                        {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"34s"}]}}
            """
        )
        #expect(error.code == .upstreamRateLimited)
        #expect(error.failureClass == .rateLimit)
        #expect(error.retryAfter == .seconds(34))
        #expect(error.upstreamStatus == 429)
        #expect(error.message == "gemini: Resource has been exhausted (e.g. check quota).")
    }

    @Test("a fractional retryDelay, or a Retry-After header when there is no RetryInfo")
    func retryHints() {
        let fractional = classify(
            429,
            #"{"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}]}}"#
        )
        #expect(fractional.retryAfter == .milliseconds(1500))
        let header = classify(
            429, #"{"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED"}}"#,
            headers: [HTTPField.Name("retry-after")!: "7"])
        #expect(header.retryAfter == .seconds(7))
    }

    @Test("a per-day quota is out of quota: a credential-side failure of class quota")
    func perDayQuota() {
        let error = classify(
            429,
            """
            {"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED",
             "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure",
                         "violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},
                        {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"20s"}]}}
            """
        )
        #expect(error.code == .upstreamAuthFailed)
        #expect(error.failureClass == .quota)
        #expect(error.upstreamStatus == 429)
    }

    @Test(
        "the caller's faults are rejected with Gemini's message and never fall back",
        arguments: [
            (400, "INVALID_ARGUMENT", "Request contains an invalid argument."),
            (400, "FAILED_PRECONDITION", "User location is not supported for the API use."),
            (404, "NOT_FOUND", "models/gemini-9 is not found for API version v1beta."),
        ]
    )
    func callerFaults(status: Int, rpc: String, message: String) {
        let error = classify(status, #"{"error":{"code":\#(status),"message":"\#(message)","status":"\#(rpc)"}}"#)
        #expect(error.code == .upstreamRejected)
        #expect(error.failureClass == .callerFault)
        #expect(error.message == "gemini: \(message)")
        #expect(error.upstreamStatus == status)
    }

    @Test(
        "a rejected key or missing permission is a credential failure",
        arguments: [
            (403, #"{"error":{"code":403,"message":"Permission denied","status":"PERMISSION_DENIED"}}"#),
            (
                401,
                #"{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}"#
            ),
            (
                400,
                #"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}"#
            ),
        ]
    )
    func credential(status: Int, body: String) {
        let error = classify(status, body)
        #expect(error.code == .upstreamAuthFailed)
        #expect(error.failureClass == .credential)
        #expect(!error.message.contains(GoogleFixtures.apiKey))
    }

    @Test(
        "server failures are transient and timeouts are timeouts",
        arguments: [
            (500, "INTERNAL", GatewayError.Code.upstream), (503, "UNAVAILABLE", .upstream),
            (504, "DEADLINE_EXCEEDED", .upstreamTimeout),
        ]
    )
    func serverSide(status: Int, rpc: String, code: GatewayError.Code) {
        let error = classify(
            status, #"{"error":{"code":\#(status),"message":"An internal error has occurred.","status":"\#(rpc)"}}"#)
        #expect(error.code == code)
        #expect(error.upstreamStatus == status)
    }

    @Test("a body that is not JSON, or an array-wrapped error, is still classified")
    func oddBodies() {
        let html = classify(502, "<html><body>Bad Gateway</body></html>")
        #expect(html.code == .upstream)
        #expect(html.message == "gemini: HTTP 502")
        let wrapped = classify(400, #"[{"error":{"code":400,"message":"bad","status":"INVALID_ARGUMENT"}}]"#)
        #expect(wrapped.code == .upstreamRejected)
        #expect(wrapped.message == "gemini: bad")
    }
}
