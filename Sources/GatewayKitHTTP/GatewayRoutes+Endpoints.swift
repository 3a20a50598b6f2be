import GatewayKit
import HTTPTypes
import Hummingbird

extension GatewayRoutes {
    func addEndpointRoutes(to router: some RouterMethods<Context>) {
        router.get("api/endpoints") { _, context in
            let caller = try context.requireCaller()
            try caller.require(.readEndpoints)
            return list(gateway.endpoints.list(by: caller).map(EndpointJSON.encode))
        }
        router.post("api/endpoints") { request, context in
            let caller = try context.requireCaller()
            try caller.require(.writeEndpoints)
            let draft = try EndpointJSON.draft(from: try await fields(request, context))
            let endpoint = try await gateway.endpoints.create(draft, by: caller)
            return jsonResponse(
                EndpointJSON.encode(try gateway.endpoints.get(endpoint.slug, by: caller)), status: .created)
        }
        router.get("api/endpoints/:slug") { _, context in
            let caller = try context.requireCaller()
            try caller.require(.readEndpoints)
            return jsonResponse(EndpointJSON.encode(try gateway.endpoints.get(try slug(context), by: caller)))
        }
        router.patch("api/endpoints/:slug") { request, context in
            let caller = try context.requireCaller()
            try caller.require(.writeEndpoints)
            let slug = try slug(context)
            let fields = try await fields(request, context)
            let version = try fields.int("version")
            try await gateway.endpoints.update(slug, expectedVersion: version, by: caller) { draft in
                try EndpointJSON.apply(fields, to: &draft)
            }
            return jsonResponse(EndpointJSON.encode(try gateway.endpoints.get(slug, by: caller)))
        }
        router.delete("api/endpoints/:slug") { request, context in
            let caller = try context.requireCaller()
            try caller.require(.writeEndpoints)
            let version = try queryVersion(request)
            try await gateway.endpoints.delete(try slug(context), expectedVersion: version, by: caller)
            return Response(status: .noContent)
        }
    }

    /// The body of an admin request as JSON fields.
    func fields(_ request: Request, _ context: Context) async throws -> JSONFields {
        try JSONFields(body: try await bodyReader.read(request, context: context))
    }

    private func slug(_ context: Context) throws -> Endpoint.Slug {
        Endpoint.Slug(rawValue: try context.parameters.require("slug"))
    }

    /// `?version=N` on a delete.
    func queryVersion(_ request: Request) throws(GatewayError) -> Int? {
        guard let text = request.uri.queryParameters.get("version") else { return nil }
        guard let version = Int(text) else {
            throw GatewayError(.invalidRequest, "query parameter 'version' must be an integer", field: "version")
        }
        return version
    }
}

/// An admin list: `{"object": "list", "data": [...]}`.
func list(_ items: [JSONValue]) -> Response {
    jsonResponse(JSONValue.object(["object": .string("list"), "data": .array(items)]))
}
