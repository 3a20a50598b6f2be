import GatewayKit
import HTTPTypes
import Hummingbird

extension GatewayRoutes {
    func addTokenRoutes(to router: some RouterMethods<Context>) {
        router.get("api/tokens") { _, context in
            list(try gateway.tokens.list(by: try context.requireCaller()).map { encode($0) })
        }
        router.post("api/tokens") { request, context in
            let caller = try context.requireCaller()
            try caller.require(.manageTokens)
            let fields = try await fields(request, context)
            try fields.rejectUnknown(["name", "role"])
            let role = try Role(parsing: try fields.requiredString("role"))
            let issued = try await gateway.tokens.create(
                name: try fields.requiredString("name"), role: role, by: caller)
            // The only time the token itself is shown.
            return jsonResponse(encode(issued.token, token: issued.secret.reveal()), status: .created)
        }
        router.delete("api/tokens/:id") { _, context in
            let id = AccessToken.ID(rawValue: try context.parameters.require("id"))
            try await gateway.tokens.delete(id, by: try context.requireCaller())
            return Response(status: .noContent)
        }
    }

    private func encode(_ token: AccessToken, token value: String? = nil) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(token.id.rawValue),
            "name": .string(token.name),
            "role": .string(token.role.rawValue),
            "prefix": .string(token.prefix),
            "created_at": token.createdAt.iso8601,
        ]
        if let value { object["token"] = .string(value) }
        return .object(object)
    }
}
