import GatewayKit
import HTTPTypes
import Hummingbird

extension GatewayRoutes {
    func addKeyRoutes(to router: some RouterMethods<Context>) {
        router.get("api/keys") { _, context in
            list(try gateway.keys.list(by: try context.requireCaller()).map(KeyJSON.encode))
        }
        router.post("api/keys") { request, context in
            let caller = try context.requireCaller()
            try caller.require(.manageKeys)
            let draft = try KeyJSON.draft(from: try await fields(request, context))
            return jsonResponse(KeyJSON.encode(try await gateway.keys.create(draft, by: caller)), status: .created)
        }
        // After adding a new master key (the old one kept as a previous key): seal every secret
        // under the new one, then report what is still sealed under an old key (nothing, when done).
        router.post("api/keys/reseal") { _, context in
            let caller = try context.requireCaller()
            let resealed = try await gateway.keys.resealAll(by: caller)
            let remaining = try await gateway.keys.keysSealedUnderOldMasterKeys(by: caller)
            return jsonResponse(
                JSONValue.object(["resealed": .int(resealed), "remaining": .array(remaining.map { .string($0.rawValue) })])
            )
        }
        router.get("api/keys/:id") { _, context in
            let caller = try context.requireCaller()
            return jsonResponse(KeyJSON.encode(try gateway.keys.get(try keyID(context), by: caller)))
        }
        router.patch("api/keys/:id") { request, context in
            let caller = try context.requireCaller()
            try caller.require(.manageKeys)
            let id = try keyID(context)
            let fields = try await fields(request, context)
            let current = try gateway.keys.get(id, by: caller)
            let change = try KeyJSON.change(from: fields, current: current)
            let key = try await gateway.keys.update(id, change, expectedVersion: try fields.int("version"), by: caller)
            return jsonResponse(KeyJSON.encode(key))
        }
        router.delete("api/keys/:id") { _, context in
            try await gateway.keys.delete(try keyID(context), by: try context.requireCaller())
            return Response(status: .noContent)
        }
    }

    private func keyID(_ context: Context) throws -> APIKey.ID {
        APIKey.ID(rawValue: try context.parameters.require("id"))
    }
}

/// API keys on the wire. The secret is write-only: responses show it masked.
enum KeyJSON {
    static let settingsFields = ["base_url", "api_version", "region", "project", "location"]
    static let readOnly: Set<String> = ["id", "masked", "created_at", "last_used_at"]

    /// A draft for `POST /api/keys`.
    /// - Throws: `GatewayError` `invalidRequest` naming the field at fault.
    static func draft(from fields: JSONFields) throws(GatewayError) -> APIKey.Draft {
        try fields.rejectUnknown(Set(["name", "provider", "secret"] + settingsFields), ignoring: readOnly)
        return APIKey.Draft(
            name: try fields.requiredString("name"),
            provider: Provider(rawValue: try fields.requiredString("provider")),
            secret: try fields.requiredString("secret"), settings: try settings(fields, over: .init())
        )
    }

    /// A change for `PATCH /api/keys/<id>`: the fields present replace the stored ones; `null`
    /// clears a setting.
    /// - Throws: `GatewayError` `invalidRequest` naming the field at fault.
    static func change(from fields: JSONFields, current: APIKey) throws(GatewayError) -> APIKey.Change {
        try fields.rejectUnknown(
            Set(["name", "secret", "version"] + settingsFields), ignoring: readOnly.union(["provider"]))
        if let provider = try fields.string("provider"), provider != current.provider.rawValue {
            throw GatewayError(
                .invalidRequest, "a key's provider cannot change; add a new key instead", field: "provider")
        }
        let changesSettings = settingsFields.contains(where: fields.has)
        return APIKey.Change(
            name: fields.has("name") ? try fields.requiredString("name") : nil,
            secret: fields.has("secret") ? try fields.requiredString("secret") : nil,
            settings: changesSettings ? try settings(fields, over: current.settings) : nil
        )
    }

    private static func settings(_ fields: JSONFields, over base: APIKey.Settings) throws(GatewayError)
        -> APIKey.Settings
    {
        var settings = base
        if fields.has("base_url") { settings.baseURL = try fields.string("base_url") }
        if fields.has("api_version") { settings.apiVersion = try fields.string("api_version") }
        if fields.has("region") { settings.region = try fields.string("region") }
        if fields.has("project") { settings.project = try fields.string("project") }
        if fields.has("location") { settings.location = try fields.string("location") }
        return settings
    }

    /// A key as responses show it, secret masked.
    static func encode(_ key: APIKey) -> JSONValue {
        .object([
            "id": .string(key.id.rawValue),
            "name": .string(key.name),
            "provider": .string(key.provider.rawValue),
            "masked": .string(key.masked),
            "base_url": key.settings.baseURL.json,
            "api_version": key.settings.apiVersion.json,
            "region": key.settings.region.json,
            "project": key.settings.project.json,
            "location": key.settings.location.json,
            "version": .int(key.version),
            "created_at": key.createdAt.iso8601,
            "last_used_at": key.lastUsedAt?.iso8601 ?? .null,
        ])
    }
}
