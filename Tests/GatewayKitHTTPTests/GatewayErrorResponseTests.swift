import Foundation
import GatewayKit
import GatewayKitHTTP
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct GatewayErrorResponseTests {
    @Test("malformed JSON is a 400 that says where it broke", arguments: ChatPath.allCases)
    func malformedJSON(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: path) { client in
            let response = try await client.call(
                .post, "/v1/chat/completions", json: "{\"model\": \"demo\",\n \"messages\": [,]}")
            #expect(response.status == .badRequest)
            let error = try response.error()
            #expect(error["type"] as? String == "invalid_request_error")
            #expect(error["code"] as? String == "invalid_request")
            let message = try #require(error["message"] as? String)
            #expect(message.contains("not valid JSON"))
            #expect(message.contains("line 2"))
            #expect(message.contains("column"))
        }
    }

    @Test("a field of the wrong type is a 400 naming the field", arguments: ChatPath.allCases)
    func wrongType(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: path) { client in
            let response = try await client.call(
                .post, "/v1/chat/completions", json: chatBody("demo", "hi", extra: #""temperature":"hot""#))
            #expect(response.status == .badRequest)
            let error = try response.error()
            #expect(error["param"] as? String == "temperature")
            #expect((error["message"] as? String)?.contains("'temperature' must be a number") == true)
            let nested = try await client.call(
                .post, "/v1/chat/completions",
                json: #"{"model":"demo","messages":[{"role":"user","content":"x"},{"role":7}]}"#)
            #expect(nested.status == .badRequest)
            #expect(try nested.error()["param"] as? String == "messages[1].role")
            let admin = try await client.call(
                .post, "/api/endpoints", json: #"{"name":"X","model":"mock/echo","rate_limit_rpm":"many"}"#)
            #expect(admin.status == .badRequest)
            #expect(try admin.error()["param"] as? String == "rate_limit_rpm")
        }
    }

    @Test("a chat without model is a 400 naming model", arguments: ChatPath.allCases)
    func missingModel(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: path) { client in
            let response = try await client.call(
                .post, "/v1/chat/completions", json: #"{"messages":[{"role":"user","content":"x"}]}"#)
            #expect(response.status == .badRequest)
            #expect(try response.error()["param"] as? String == "model")
        }
    }

    @Test("a missing or unknown bearer token is a 401 in the OpenAI shape", arguments: ChatPath.allCases)
    func unauthenticated(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: path) { client in
            let missing = try await client.call(.post, "/v1/chat/completions", as: nil, json: chatBody("demo", "hi"))
            #expect(missing.status == .unauthorized)
            #expect(try missing.error()["type"] as? String == "authentication_error")
            #expect(try missing.error()["code"] as? String == "unauthenticated")
            let unknown = try await client.call(
                .get, "/v1/models", as: nil, headers: [.authorization: "Bearer not-a-real-token-at-all"]
            )
            #expect(unknown.status == .unauthorized)
            let wrongScheme = try await client.call(
                .get, "/api/endpoints", as: nil, headers: [.authorization: "Basic YWJj"])
            #expect(wrongScheme.status == .unauthorized)
            #expect(!unknown.text.contains("not-a-real-token"))
        }
    }

    @Test("a role that may not act is a 403; a missing endpoint is a 404", arguments: ChatPath.allCases)
    func forbiddenAndNotFound(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: path) { client in
            let forbidden = try await client.call(
                .post, "/api/endpoints", as: .reviewer, json: #"{"name":"X","model":"mock/echo"}"#)
            #expect(forbidden.status == .forbidden)
            #expect(try forbidden.error()["type"] as? String == "permission_error")
            let missing = try await client.call(.post, "/v1/chat/completions", json: chatBody("nope", "hi"))
            #expect(missing.status == .notFound)
            #expect(try missing.error()["code"] as? String == "not_found")
            #expect(try missing.error()["type"] as? String == "not_found_error")
            #expect(try await client.call(.get, "/api/endpoints/nope").status == .notFound)
            #expect(try await client.call(.delete, "/api/keys/key_missing").status == .notFound)
        }
    }

    @Test("an edit naming a stale version is a 409")
    func staleVersion() async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway) { client in
            let first = try await client.call(.patch, "/api/endpoints/demo", json: #"{"version":1,"max_tokens":100}"#)
            #expect(first.status == .ok)
            #expect(try first.object()["version"] as? Int == 2)
            let stale = try await client.call(.patch, "/api/endpoints/demo", json: #"{"version":1,"max_tokens":200}"#)
            #expect(stale.status == .conflict)
            #expect(try stale.error()["code"] as? String == "conflict")
            #expect(try await client.call(.delete, "/api/endpoints/demo?version=1").status == .conflict)
        }
    }

    @Test("a declared body over the limit is a 413 before the rest is sent", arguments: ChatPath.allCases)
    func declaredBodyTooLarge(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: path, maxBodyBytes: 1024) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            let response = try await connection.run { writer, inbound in
                // Announce 10 MB, send 100 bytes, and wait: the answer must come without the rest.
                try await writer.write(
                    ByteBuffer(
                        string: rawChatRequestHead(framing: "Content-Length: 10000000")
                            + #"{"model":"demo","messages":["# + String(repeating: " ", count: 70)))
                return try await inbound.read(until: "}}")
            }
            #expect(response.hasPrefix("HTTP/1.1 413"))
            #expect(response.contains("\"code\":\"payload_too_large\""))
        }
    }

    @Test("a chunked body that grows over the limit is a 413 as soon as it does", arguments: ChatPath.allCases)
    func streamedBodyTooLarge(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: path, maxBodyBytes: 1024) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            let response = try await connection.run { writer, inbound in
                try await writer.write(
                    ByteBuffer(string: rawChatRequestHead(framing: "Transfer-Encoding: chunked")))
                let chunk = String(repeating: " ", count: 800)
                for _ in 0..<2 {
                    try await writer.write(
                        ByteBuffer(string: String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n"))
                }
                // No terminating chunk: the server must answer without waiting for the end.
                return try await inbound.read(until: "}}")
            }
            #expect(response.hasPrefix("HTTP/1.1 413"))
            #expect(response.contains("the limit is 1024 bytes"))
        }
    }

    @Test("an endpoint over its rate limit is a 429 with Retry-After and x-ratelimit headers", arguments: ChatPath.allCases)
    func rateLimited(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await gateway.endpoints.create(
            .init(name: "Tight", slug: "tight", model: "mock/echo", rateLimitRPM: 1), by: .admin)
        try await withLiveServer(gateway, chat: path) { client in
            #expect(try await client.call(.post, "/v1/chat/completions", json: chatBody("tight", "one")).status == .ok)
            let limited = try await client.call(.post, "/v1/chat/completions", json: chatBody("tight", "two"))
            #expect(limited.status == .tooManyRequests)
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap(Int.init))
            #expect(retryAfter >= 1 && retryAfter <= 60)
            #expect(limited.headers[HTTPField.Name("x-ratelimit-limit-requests")!] == "1")
            #expect(limited.headers[HTTPField.Name("x-ratelimit-remaining-requests")!] == "0")
            #expect(try limited.error()["type"] as? String == "rate_limit_error")
            #expect(try limited.error()["code"] as? String == "rate_limited")
        }
    }
}
