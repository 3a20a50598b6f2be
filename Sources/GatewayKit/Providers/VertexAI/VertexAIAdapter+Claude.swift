import HTTPTypes
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension VertexAIAdapter {
    // Headers the Anthropic adapter sets for api.anthropic.com that Vertex replaces with OAuth.
    private static let droppedHeaders: Set<String> = [
        "x-api-key", "anthropic-version", "authorization", "content-length", "host",
    ]

    /// Claude on Vertex: the Anthropic adapter's body without `model` (the URL names it) and with
    /// Vertex's `anthropic_version`, sent with the OAuth token to `rawPredict`/`streamRawPredict`.
    func claudeRequest(_ request: ChatRequest, for call: ProviderCall, base: String, token: Secret) throws
        -> UpstreamRequest
    {
        var inner = call
        // The inner adapter never sees the service account or the token: it only builds a body.
        inner.secret = Secret("vertex-oauth")
        inner.accessToken = nil
        inner.apiKey?.settings = .init()
        let built = try claude().makeRequest(request, for: inner)
        guard var body = try? JSONDecoder().decode(JSONValue.self, from: Data(built.body.readableBytesView)).objectValue
        else {
            throw GatewayError(.internal, "vertex_ai: the Anthropic adapter built a body that is not a JSON object")
        }
        body["model"] = nil
        body["anthropic_version"] = .string(Self.anthropicVersion)
        var headers = HTTPFields()
        for field in built.headers where !Self.droppedHeaders.contains(field.name.canonicalName) {
            headers.append(field)
        }
        headers[.contentType] = "application/json"
        headers[.authorization] = "Bearer \(token.reveal())"
        let method = call.stream ? "streamRawPredict" : "rawPredict"
        return UpstreamRequest(
            url: "\(base)/publishers/anthropic/models/\(call.model.name):\(method)", headers: headers,
            body: ByteBuffer(bytes: try JSONEncoder().encode(JSONValue.object(body)))
        )
    }
}
