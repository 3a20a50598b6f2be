import Foundation
import GatewayKit
import GatewayKitHTTP
import HTTPTypes
import HummingbirdTesting
import Testing

/// `/api/guardrails`: rule JSON in and out, validation, versions and the counts.
@Suite struct GatewayRoutesGuardrailTests {
    // A gateway with endpoints "alpha" and "beta" besides the demo ones.
    private func gatewayWithEndpoints() async throws -> Gateway {
        let gateway = try await makeTestGateway()
        for slug in ["alpha", "beta"] {
            try await gateway.endpoints.create(
                .init(name: slug, slug: Endpoint.Slug(rawValue: slug), model: "mock/echo"), by: .admin)
        }
        return gateway
    }

    @Test("creates a rule of every kind and returns it with id, version and times")
    func createsEveryKind() async throws {
        let gateway = try await gatewayWithEndpoints()
        // Each body with its expected config, as JSON text (compared as parsed objects).
        let bodies: [(String, String)] = [
            (
                #"{"name":"Terms","kind":"blocked_terms","stage":"input","action":"block","config":{"terms":["drop table"]}}"#,
                #"{"terms":["drop table"]}"#
            ),
            (
                #"{"name":"Ids","kind":"regex","stage":"output","action":"redact","config":{"pattern":"\\bID-\\d+"}}"#,
                #"{"pattern":"\\bID-\\d+"}"#
            ),
            (
                #"{"name":"PII","kind":"pii","stage":"output","action":"redact","config":{"types":["email","iban"]}}"#,
                #"{"types":["email","iban"]}"#
            ),
            (#"{"name":"Keys","kind":"secrets","stage":"input","action":"redact"}"#, "{}"),
            (
                #"{"name":"Size","kind":"max_input","stage":"input","action":"block","config":{"max_chars":4000}}"#,
                #"{"max_chars":4000,"max_tokens":null}"#
            ),
            (
                #"{"name":"Judge","kind":"llm_judge","stage":"input","action":"block","endpoints":["alpha"],"#
                    + #""config":{"judge_endpoint":"beta","policy":"No medical advice."}}"#,
                #"{"judge_endpoint":"beta","policy":"No medical advice."}"#
            ),
        ]
        try await withLiveServer(gateway) { client in
            for (body, config) in bodies {
                let response = try await client.call(.post, "/api/guardrails", as: .editor, json: body)
                #expect(response.status == .created, "\(body): \(response.text)")
                let object = try response.object()
                #expect((object["id"] as? String)?.hasPrefix("gr_") == true)
                #expect(object["version"] as? Int == 1)
                #expect(object["active"] as? Bool == true)
                #expect(object["order"] as? Int == 0)
                #expect(object["created_at"] is String && object["updated_at"] is String)
                let expected = try JSONSerialization.jsonObject(with: Data(config.utf8)) as? NSDictionary
                let actual = try #require(object["config"] as? [String: Any])
                #expect(expected?.isEqual(to: actual) == true, "\(body): \(actual)")
            }
            let list = try await client.call(.get, "/api/guardrails", as: .auditor).object()
            let data = try #require(list["data"] as? [[String: Any]])
            #expect(data.count == bodies.count)
            let judge = try #require(data.first { $0["kind"] as? String == "llm_judge" })
            #expect(judge["endpoints"] as? [String] == ["alpha"])
            #expect(data.first { $0["kind"] as? String == "secrets" }?["endpoints"] is NSNull)
        }
        #expect(try gateway.guardrails.list(by: .admin).count == bodies.count)
    }

    @Test(
        "validation errors are 400s naming the field",
        arguments: [
            (#"{"kind":"secrets","stage":"input","action":"block"}"#, "name"),
            (#"{"name":" ","kind":"secrets","stage":"input","action":"block"}"#, "name"),
            (#"{"name":"x","kind":"magic","stage":"input","action":"block"}"#, "kind"),
            (#"{"name":"x","kind":"secrets","stage":"middle","action":"block"}"#, "stage"),
            (#"{"name":"x","kind":"secrets","stage":"input","action":"warn"}"#, "action"),
            (#"{"name":"x","kind":"secrets","stage":"input","action":"block","colour":"red"}"#, "colour"),
            (
                #"{"name":"x","kind":"secrets","stage":"input","action":"block","config":{"terms":["a"]}}"#,
                "config.terms"
            ),
            (#"{"name":"x","kind":"secrets","stage":"input","action":"block","config":[]}"#, "config"),
            (
                #"{"name":"x","kind":"blocked_terms","stage":"input","action":"block","config":{"terms":[]}}"#,
                "config.terms"
            ),
            (#"{"name":"x","kind":"blocked_terms","stage":"input","action":"block"}"#, "config.terms"),
            (
                #"{"name":"x","kind":"regex","stage":"input","action":"block","config":{"pattern":"(a"}}"#,
                "config.pattern"
            ),
            (
                #"{"name":"x","kind":"pii","stage":"input","action":"redact","config":{"types":["email","ssn"]}}"#,
                "config.types"
            ),
            (#"{"name":"x","kind":"max_input","stage":"input","action":"block","config":{}}"#, "config"),
            (#"{"name":"x","kind":"max_input","stage":"output","action":"block","config":{"max_chars":5}}"#, "stage"),
            (#"{"name":"x","kind":"max_input","stage":"input","action":"redact","config":{"max_tokens":5}}"#, "action"),
            (
                #"{"name":"x","kind":"llm_judge","stage":"input","action":"block","endpoints":["alpha"],"#
                    + #""config":{"judge_endpoint":"ghost","policy":"p"}}"#, "config.judge_endpoint"
            ),
            (#"{"name":"x","kind":"secrets","stage":"input","action":"block","endpoints":["ghost"]}"#, "endpoints"),
            (#"{"name":"x","kind":"secrets","stage":"input","action":"block","endpoints":"alpha"}"#, "endpoints"),
        ])
    func validation(body: String, field: String) async throws {
        let gateway = try await gatewayWithEndpoints()
        try await withLiveServer(gateway) { client in
            let response = try await client.call(.post, "/api/guardrails", json: body)
            #expect(response.status == .badRequest, "\(body): \(response.text)")
            let error = try response.error()
            #expect(error["code"] as? String == "invalid_request")
            #expect(error["param"] as? String == field)
            #expect((error["message"] as? String)?.contains(field) == true, "\(error)")
        }
        #expect(try gateway.guardrails.list(by: .admin).isEmpty)
    }

    @Test("PATCH edits a subset, checks the version (409 when stale) and refuses unknown fields")
    func patch() async throws {
        let gateway = try await gatewayWithEndpoints()
        let rule = try await gateway.guardrails.create(
            .init(name: "Terms", kind: .blockedTerms(["a"]), stage: .input, action: .block), by: .admin)
        let path = "/api/guardrails/\(rule.id)"
        try await withLiveServer(gateway) { client in
            let edited = try await client.call(
                .patch, path, as: .editor,
                json: #"{"version":1,"config":{"terms":["a","b"]},"endpoints":["beta"],"order":7,"active":false}"#)
            #expect(edited.status == .ok, "\(edited.text)")
            let object = try edited.object()
            #expect(object["version"] as? Int == 2)
            #expect(object["kind"] as? String == "blocked_terms")
            #expect((object["config"] as? [String: Any])?["terms"] as? [String] == ["a", "b"])
            #expect(object["endpoints"] as? [String] == ["beta"])
            #expect(object["order"] as? Int == 7)
            #expect(object["active"] as? Bool == false)

            let stale = try await client.call(.patch, path, json: #"{"version":1,"name":"Late"}"#)
            #expect(stale.status == .conflict)
            #expect(try stale.error()["code"] as? String == "conflict")

            let unknown = try await client.call(.patch, path, json: #"{"severity":"high"}"#)
            #expect(unknown.status == .badRequest)
            #expect((try unknown.error()["message"] as? String)?.contains("severity") == true)

            // The whole response sent back, with "endpoints": null, covers every endpoint again.
            var echoed = object
            echoed["endpoints"] = NSNull()
            let body = String(decoding: try JSONSerialization.data(withJSONObject: echoed), as: UTF8.self)
            let restored = try await client.call(.patch, path, json: body)
            #expect(restored.status == .ok, "\(restored.text)")
            #expect(try restored.object()["endpoints"] is NSNull)

            let changedKind = try await client.call(
                .patch, path, json: #"{"kind":"regex","config":{"pattern":"secret-\\d+"}}"#)
            #expect(changedKind.status == .ok, "\(changedKind.text)")
            #expect(try gateway.guardrails.get(rule.id, by: .admin).kind == .regex(pattern: #"secret-\d+"#))
        }
    }

    @Test("an unknown rule is 404 on get, PATCH and DELETE; DELETE with a stale version is 409")
    func notFoundAndDelete() async throws {
        let gateway = try await gatewayWithEndpoints()
        let rule = try await gateway.guardrails.create(
            .init(name: "Keys", kind: .secrets, stage: .input, action: .block), by: .admin)
        try await withLiveServer(gateway) { client in
            #expect(try await client.call(.get, "/api/guardrails/gr_missing").status == .notFound)
            #expect(try await client.call(.patch, "/api/guardrails/gr_missing", json: "{}").status == .notFound)
            #expect(try await client.call(.delete, "/api/guardrails/gr_missing").status == .notFound)
            let stale = try await client.call(.delete, "/api/guardrails/\(rule.id)?version=2")
            #expect(stale.status == .conflict)
            let deleted = try await client.call(.delete, "/api/guardrails/\(rule.id)?version=1", as: .editor)
            #expect(deleted.status == .noContent)
            #expect(try await client.call(.get, "/api/guardrails/\(rule.id)").status == .notFound)
        }
    }

    @Test("the endpoint list and the status route count the active rules")
    func counts() async throws {
        let gateway = try await gatewayWithEndpoints()
        try await withLiveServer(gateway) { client in
            let bodies = [
                #"{"name":"All","kind":"secrets","stage":"input","action":"block"}"#,
                #"{"name":"Alpha","kind":"pii","stage":"output","action":"redact","endpoints":["alpha"],"#
                    + #""config":{"types":["email"]}}"#,
                #"{"name":"Off","kind":"secrets","stage":"output","action":"redact","active":false}"#,
            ]
            for body in bodies {
                #expect(try await client.call(.post, "/api/guardrails", json: body).status == .created)
            }
            let status = try await client.call(.get, "/api/guardrails/status", as: .reviewer).object()
            #expect(status["active"] as? Int == 2)
            let byEndpoint = try #require(status["by_endpoint"] as? [String: Int])
            #expect(byEndpoint["alpha"] == 2)
            #expect(byEndpoint["beta"] == 1)
            #expect(byEndpoint.count == gateway.endpoints.list(by: Caller(role: .reviewer)).count)
            #expect(byEndpoint.filter { $0.key != "alpha" }.values.allSatisfy { $0 == 1 })

            let endpoints = try await client.call(.get, "/api/endpoints", as: .auditor).object()
            let data = try #require(endpoints["data"] as? [[String: Any]])
            let counts = Dictionary(
                uniqueKeysWithValues: data.compactMap { entry -> (String, Int)? in
                    guard let slug = entry["slug"] as? String, let count = entry["active_guardrails"] as? Int else {
                        return nil
                    }
                    return (slug, count)
                })
            #expect(counts.count == data.count)
            #expect(counts["alpha"] == 2)
            #expect(counts["beta"] == 1)
            let alpha = try await client.call(.get, "/api/endpoints/alpha").object()
            #expect(alpha["active_guardrails"] as? Int == 2)

            // Without the rule for every endpoint, only "alpha" has an active rule.
            let all = try #require(try gateway.guardrails.list(by: .admin).first { $0.name == "All" })
            #expect(try await client.call(.delete, "/api/guardrails/\(all.id)").status == .noContent)
            let after = try await client.call(.get, "/api/guardrails/status").object()
            #expect(after["active"] as? Int == 1)
            #expect(after["by_endpoint"] as? [String: Int] == ["alpha": 1])
        }
    }
}
