import HTTPTypes
import NIOCore
import Testing

@testable import GatewayKit

@Suite struct BedrockAdapterErrorTests {
    typealias B = BedrockFixtures

    private func classify(
        status: Int, errorType: String? = nil, body: String, retryAfter: String? = nil, call: ProviderCall = B.call()
    ) -> GatewayError {
        var headers = HTTPFields()
        if let errorType, let name = HTTPField.Name("x-amzn-ErrorType") { headers[name] = errorType }
        if let retryAfter, let name = HTTPField.Name("retry-after") { headers[name] = retryAfter }
        return B.adapter.classifyError(status: status, headers: headers, body: ByteBuffer(string: body), for: call)
    }

    @Test("each documented exception is classified, named from the x-amzn-ErrorType header")
    func exceptionsFromHeader() {
        let cases: [(Int, String, GatewayError.Code, FailureClass)] = [
            (429, "ThrottlingException", .upstreamRateLimited, .rateLimit),
            (429, "ModelNotReadyException", .upstreamRateLimited, .rateLimit),
            (503, "ServiceUnavailableException", .upstream, .transient),
            (500, "InternalServerException", .upstream, .transient),
            (424, "ModelErrorException", .upstream, .transient),
            (408, "ModelTimeoutException", .upstreamTimeout, .timeout),
            (400, "ValidationException", .upstreamRejected, .callerFault),
            (404, "ResourceNotFoundException", .upstreamRejected, .callerFault),
            (400, "ServiceQuotaExceededException", .upstreamAuthFailed, .quota),
            (403, "AccessDeniedException", .upstreamAuthFailed, .credential),
            (403, "UnrecognizedClientException", .upstreamAuthFailed, .credential),
            (403, "InvalidSignatureException", .upstreamAuthFailed, .credential),
            (403, "ExpiredTokenException", .upstreamAuthFailed, .credential),
        ]
        for (status, name, code, failureClass) in cases {
            let error = classify(
                status: status, errorType: "\(name):http://internal.amazon.com/coral/com.amazon.bedrock/",
                body: #"{"message":"details for \#(name)"}"#
            )
            #expect(error.code == code, "\(name)")
            #expect(error.failureClass == failureClass, "\(name)")
            #expect(error.upstreamStatus == status, "\(name)")
            #expect(error.message == "bedrock: \(name): details for \(name)", "\(name)")
        }
    }

    @Test("without the header, the exception name comes from the body's __type or code")
    func exceptionsFromBody() {
        let typed = classify(
            status: 400, body: #"{"__type":"com.amazon.coral.validate#ValidationException","message":"bad input"}"#)
        #expect(typed.code == .upstreamRejected)
        #expect(typed.message == "bedrock: ValidationException: bad input")
        let coded = classify(status: 429, body: #"{"code":"ThrottlingException","Message":"slow down"}"#)
        #expect(coded.code == .upstreamRateLimited)
        #expect(coded.message == "bedrock: ThrottlingException: slow down")
    }

    @Test("an unnamed error is classified by its status")
    func byStatus() {
        let cases: [(Int, GatewayError.Code)] = [
            (400, .upstreamRejected), (401, .upstreamAuthFailed), (403, .upstreamAuthFailed), (408, .upstreamTimeout),
            (413, .upstreamRejected), (429, .upstreamRateLimited), (500, .upstream), (502, .upstream),
            (504, .upstreamTimeout),
        ]
        for (status, code) in cases {
            let error = classify(status: status, body: "<html>oops</html>")
            #expect(error.code == code, "\(status)")
            #expect(error.message == "bedrock: HTTP \(status): no message", "\(status)")
        }
    }

    @Test("retry-after is read when present")
    func retryAfter() {
        let error = classify(
            status: 429, errorType: "ThrottlingException", body: #"{"message":"Too many requests"}"#, retryAfter: "3")
        #expect(error.retryAfter == .seconds(3))
    }

    @Test("a provider message quoting the key's secret key or session token has them redacted")
    func redaction() {
        let call = B.call(secret: B.secret(token: B.sessionToken))
        let error = classify(
            status: 403, errorType: "InvalidSignatureException",
            body:
                #"{"message":"The Canonical String was 'x-amz-security-token:\#(B.sessionToken)' for \#(B.secretKey)"}"#,
            call: call
        )
        let shown = String(describing: error) + String(reflecting: error)
        #expect(!shown.contains(B.sessionToken))
        #expect(!shown.contains(B.secretKey))
        #expect(error.message.contains("<redacted>"))
        #expect(error.code == .upstreamAuthFailed)
    }
}
