import GatewayKit
import HTTPTypes
import Hummingbird

extension GatewayRoutes {
    func addGuardrailRoutes(to router: some RouterMethods<Context>) {
        router.get("api/guardrails") { _, context in
            let caller = try context.requireCaller()
            return list(try gateway.guardrails.list(by: caller).map(GuardrailJSON.encode))
        }
        router.post("api/guardrails") { request, context in
            let caller = try context.requireCaller()
            try caller.require(.writeGuardrails)
            let draft = try GuardrailJSON.draft(from: try await fields(request, context))
            let rule = try await gateway.guardrails.create(draft, by: caller)
            return jsonResponse(GuardrailJSON.encode(rule), status: .created)
        }
        router.get("api/guardrails/status") { _, context in
            let caller = try context.requireCaller()
            return jsonResponse(GuardrailJSON.encode(try gateway.guardrails.status(by: caller)))
        }
        router.get("api/guardrails/:id") { _, context in
            let caller = try context.requireCaller()
            return jsonResponse(GuardrailJSON.encode(try gateway.guardrails.get(try ruleID(context), by: caller)))
        }
        router.patch("api/guardrails/:id") { request, context in
            let caller = try context.requireCaller()
            try caller.require(.writeGuardrails)
            let fields = try await fields(request, context)
            let version = try fields.int("version")
            let rule = try await gateway.guardrails.update(try ruleID(context), expectedVersion: version, by: caller) {
                draft in try GuardrailJSON.apply(fields, to: &draft)
            }
            return jsonResponse(GuardrailJSON.encode(rule))
        }
        router.delete("api/guardrails/:id") { request, context in
            let caller = try context.requireCaller()
            try caller.require(.writeGuardrails)
            let version = try queryVersion(request)
            try await gateway.guardrails.delete(try ruleID(context), expectedVersion: version, by: caller)
            return Response(status: .noContent)
        }
    }

    private func ruleID(_ context: Context) throws -> GuardrailRule.ID {
        GuardrailRule.ID(rawValue: try context.parameters.require("id"))
    }
}
