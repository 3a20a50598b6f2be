import Foundation
import GatewayKit
import GatewayKitHTTP
import HTTPTypes
import HummingbirdTesting
import Testing

/// Each role on each admin route: what it may do succeeds, the rest is 403.
@Suite struct GatewayRoutesAdminRoleTests {
    struct Route: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        var allowed: Set<Role>
        var success: HTTPResponse.Status

        var description: String { "\(method) \(path)" }
    }

    static let everyone = Set(Role.allCases)
    static let writers: Set<Role> = [.admin, .editor]
    static let admins: Set<Role> = [.admin]

    /// `{key}`, `{token}`, `{slug}` and `{rule}` are replaced with a fresh key, token, endpoint or rule
    /// per call.
    static let routes: [Route] = [
        Route(method: .get, path: "/api/endpoints", allowed: everyone, success: .ok),
        Route(
            method: .post, path: "/api/endpoints", body: #"{"name":"Made","model":"mock/echo"}"#, allowed: writers,
            success: .created),
        Route(method: .get, path: "/api/endpoints/{slug}", allowed: everyone, success: .ok),
        Route(
            method: .patch, path: "/api/endpoints/{slug}", body: #"{"max_tokens":50}"#, allowed: writers, success: .ok),
        Route(method: .delete, path: "/api/endpoints/{slug}", allowed: writers, success: .noContent),
        Route(method: .get, path: "/api/keys", allowed: admins, success: .ok),
        Route(
            method: .post, path: "/api/keys",
            body: #"{"name":"K","provider":"openai","secret":"sk-test-0123456789abcdef"}"#,
            allowed: admins, success: .created
        ),
        Route(method: .get, path: "/api/keys/{key}", allowed: admins, success: .ok),
        Route(method: .patch, path: "/api/keys/{key}", body: #"{"name":"Renamed"}"#, allowed: admins, success: .ok),
        Route(method: .delete, path: "/api/keys/{key}", allowed: admins, success: .noContent),
        Route(method: .get, path: "/api/guardrails/status", allowed: everyone, success: .ok),
        Route(method: .get, path: "/api/guardrails", allowed: everyone, success: .ok),
        Route(
            method: .post, path: "/api/guardrails",
            body: #"{"name":"G","kind":"secrets","stage":"input","action":"block"}"#, allowed: writers,
            success: .created),
        Route(method: .get, path: "/api/guardrails/{rule}", allowed: everyone, success: .ok),
        Route(method: .patch, path: "/api/guardrails/{rule}", body: #"{"order":3}"#, allowed: writers, success: .ok),
        Route(method: .delete, path: "/api/guardrails/{rule}", allowed: writers, success: .noContent),
        Route(method: .get, path: "/api/usage", allowed: [.admin, .auditor], success: .ok),
        Route(method: .get, path: "/api/tokens", allowed: admins, success: .ok),
        Route(
            method: .post, path: "/api/tokens", body: #"{"name":"T","role":"auditor"}"#, allowed: admins,
            success: .created),
        Route(method: .delete, path: "/api/tokens/{token}", allowed: admins, success: .noContent),
    ]

    @Test("each role gets success where it is allowed and 403 elsewhere", arguments: routes)
    func roleMatrix(route: Route) async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway) { client in
            for role in Role.allCases {
                var path = route.path
                if path.contains("{slug}") {
                    let endpoint = try await gateway.endpoints.create(
                        .init(name: "For \(role)", model: "mock/echo"), by: .admin)
                    path = path.replacingOccurrences(of: "{slug}", with: endpoint.slug.rawValue)
                }
                if path.contains("{key}") {
                    let key = try await gateway.keys.create(
                        .init(name: "Key \(role)", provider: .openai, secret: "sk-test-0123456789abcdef"), by: .admin
                    )
                    path = path.replacingOccurrences(of: "{key}", with: key.id.rawValue)
                }
                if path.contains("{rule}") {
                    let rule = try await gateway.guardrails.create(
                        .init(name: "Rule \(role)", kind: .secrets, stage: .input, action: .block), by: .admin)
                    path = path.replacingOccurrences(of: "{rule}", with: rule.id.rawValue)
                }
                if path.contains("{token}") {
                    let token = try await gateway.tokens.create(name: "Token \(role)", role: .auditor, by: .admin)
                    path = path.replacingOccurrences(of: "{token}", with: token.token.id.rawValue)
                }
                let response = try await client.call(route.method, path, as: role, json: route.body)
                let expected: HTTPResponse.Status = route.allowed.contains(role) ? route.success : .forbidden
                #expect(response.status == expected, "\(route) as \(role): \(response.text)")
                if expected == .forbidden {
                    #expect(try response.error()["code"] as? String == "forbidden")
                }
            }
        }
    }
}
