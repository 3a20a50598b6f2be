import GatewayKit
import HTTPTypes
import Hummingbird
import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension GatewayRoutes {
    func addChatRoutes(to router: some RouterMethods<Context>) {
        router.post("v1/chat/completions") { request, context in
            try await chat(request, context: context, pathSlug: nil)
        }
        router.post("gateway/:slug/chat/completions") { request, context in
            try await chat(request, context: context, pathSlug: context.parameters.require("slug"))
        }
        router.get("v1/models") { _, context in
            try models(context: context)
        }
    }

    /// `POST /v1/chat/completions` (the slug in `model`) and `POST /gateway/<slug>/chat/completions`.
    func chat(_ request: Request, context: Context, pathSlug: String?) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await bodyReader.read(request, context: context)
        let call = try ChatCall(body: body, pathSlug: pathSlug)
        if call.request.stream {
            let stream = gateway.router.stream(slug: call.slug, request: call.request, as: caller)
            return try await ChatEventStream.response(
                for: stream, channel: context.channel, includeUsage: call.request.includeUsage == true
            )
        }
        // A client that goes away cancels the upstream call.
        let reply = try await DisconnectWatch.run(on: context.channel) {
            try await gateway.router.complete(slug: call.slug, request: call.request, as: caller)
        }
        return jsonResponse(reply, headers: .servedBy(reply.servedBy))
    }

    /// `GET /v1/models`: the active endpoints the caller's role may see, in OpenAI's list shape.
    func models(context: Context) throws -> Response {
        let caller = try context.requireCaller()
        let data: [JSONValue] = gateway.endpoints.list(by: caller).filter(\.isActive).map { summary in
            .object([
                "id": .string(summary.slug.rawValue),
                "object": .string("model"),
                "created": .int(Int(summary.endpoint.createdAt.timeIntervalSince1970)),
                "owned_by": .string("gatewaykit"),
            ])
        }
        return jsonResponse(JSONValue.object(["object": .string("list"), "data": .array(data)]))
    }
}

/// What a chat request body asks for: the decoded request and the endpoint that answers it.
struct ChatCall: Sendable {
    let request: ChatRequest
    let slug: Endpoint.Slug

    /// Decodes `body`; the endpoint is `pathSlug` when the path names one, else the `model` field.
    /// - Throws: `GatewayError` `invalidRequest` for a malformed body or a missing `model`.
    init(body: ByteBuffer, pathSlug: String?) throws(GatewayError) {
        request = try JSONWire.decode(ChatRequest.self, from: body)
        if let pathSlug {
            slug = Endpoint.Slug(rawValue: pathSlug)
        } else {
            guard let model = request.model, !model.isEmpty else {
                throw GatewayError(
                    .invalidRequest, "field 'model' is required: set it to an endpoint slug", field: "model")
            }
            slug = Endpoint.Slug(rawValue: model)
        }
    }
}

extension HTTPFields {
    /// `x-gateway-endpoint`, and `x-gateway-fallback: true` when a fallback served the request.
    static func servedBy(_ servedBy: ServedBy?) -> HTTPFields {
        var headers = HTTPFields()
        guard let servedBy else { return headers }
        headers[.gatewayEndpoint] = servedBy.endpoint.rawValue
        if servedBy.usedFallback { headers[.gatewayFallback] = "true" }
        return headers
    }
}
