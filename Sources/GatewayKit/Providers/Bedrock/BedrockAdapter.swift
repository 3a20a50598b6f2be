public import HTTPTypes
public import NIOCore

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// AWS Bedrock Runtime's Converse and ConverseStream APIs (`bedrock/<model id>`), signed with
/// AWS Signature Version 4.
///
/// The API key's secret is JSON `{"access_key_id", "secret_access_key", "session_token"?}` and
/// its `region` setting is required; `base_url` defaults to
/// `https://bedrock-runtime.<region>.amazonaws.com`. Streams arrive in AWS's binary event-stream
/// framing, whose checksums are verified.
public struct BedrockAdapter: ProviderAdapter {
    let now: @Sendable () -> Date

    /// Creates the adapter.
    /// - Parameter now: the clock requests are signed with and responses are stamped with.
    public init(now: @escaping @Sendable () -> Date = Date.init) {
        self.now = now
    }

    /// Builds a signed Converse (or ConverseStream) request.
    /// - Throws: `GatewayError` `invalidRequest` naming `secret`, `region` or `base_url` when the
    ///   key cannot sign a request, or naming `messages` when a message cannot be expressed.
    public func makeRequest(_ request: ChatRequest, for call: ProviderCall) throws -> UpstreamRequest {
        let account = try Self.account(for: call)
        let body = try Self.encode(Self.converseBody(request))
        let operation = call.stream ? "converse-stream" : "converse"
        let path =
            account.basePath + "/model/" + SigV4Signer.encode(call.model.name, keepingSlash: false) + "/" + operation
        let signer = SigV4Signer(credentials: account.credentials, region: account.region, service: "bedrock")
        let signature = signer.sign(
            .init(
                method: "POST", host: account.host, path: path, headers: [("content-type", "application/json")],
                body: body
            ),
            at: now()
        )
        // The host header is set explicitly so the one sent is the one signed.
        var headers: HTTPFields = [.contentType: "application/json"]
        if let host = HTTPField.Name("host") { headers[host] = account.host }
        for (name, value) in signature.headers {
            if let name = HTTPField.Name(name) { headers.append(HTTPField(name: name, value: value)) }
        }
        return UpstreamRequest(
            method: .post, url: account.scheme + "://" + account.host + path, headers: headers,
            body: ByteBuffer(bytes: body)
        )
    }

    /// Parses a Converse response.
    /// - Throws: `GatewayError` `upstream` when the body is not a Converse response.
    public func parseResponse(_ response: UpstreamResponse, for call: ProviderCall) throws -> ChatResponse {
        try Self.chatResponse(response, model: call.model.name, created: Self.unixSeconds(now()))
    }

    /// Makes a parser for one ConverseStream body.
    public func makeStreamParser(for call: ProviderCall) -> any ProviderStreamParser {
        BedrockStreamParser(model: call.model.name, created: Self.unixSeconds(now()))
    }

    /// Classifies a Bedrock error response by its exception name and status.
    public func classifyError(status: Int, headers: HTTPFields, body: ByteBuffer, for call: ProviderCall)
        -> GatewayError
    {
        let name = Self.exceptionName(headers: headers, body: body)
        let message = Self.redacting(Self.errorMessage(body), for: call)
        return Self.classify(exception: name, status: status, message: message, retryAfter: Self.retryAfter(headers))
    }

    static func unixSeconds(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }
}
