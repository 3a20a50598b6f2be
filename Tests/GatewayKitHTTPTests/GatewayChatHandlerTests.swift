import Foundation
import GatewayKit
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import GatewayKitHTTP

@Suite struct GatewayChatHandlerTests {
    /// One request, and what the server answered, with what changes between two calls left out:
    /// the `Date` header and the mock's time-based id and `created`.
    private struct Answer: Equatable, CustomStringConvertible {
        var status: Int
        var headers: [String: String]
        var body: String

        init(_ response: TestResponse) {
            status = response.status.code
            var headers: [String: String] = [:]
            for field in response.headers where field.name != .date {
                headers[field.name.canonicalName] = field.value
            }
            self.headers = headers
            body = response.text
                .replacingOccurrences(of: #""mock-[0-9]+""#, with: "\"ID\"", options: .regularExpression)
                .replacingOccurrences(of: #""created":[0-9]+"#, with: "\"created\":0", options: .regularExpression)
        }

        var description: String { "\(status) \(headers) \(body)" }
    }

    @Test("the chat routes answer on the connection exactly as the router does: status, headers, body")
    func sameAnswers() async throws {
        let calls: [(path: String, role: Role?, body: String)] = [
            ("/v1/chat/completions", .admin, chatBody("demo", "hello")),
            ("/v1/chat/completions?api-version=1", .admin, chatBody("demo", "with a query")),
            ("/gateway/demo/chat/completions", .reviewer, #"{"messages":[{"role":"user","content":"by path"}]}"#),
            ("/v1/chat/completions", .admin, chatBody("demo", "one two", extra: #""stream":true"#)),
            (
                "/v1/chat/completions", .admin,
                chatBody("demo", "usage", extra: #""stream":true,"stream_options":{"include_usage":true}"#)
            ),
            ("/v1/chat/completions", .admin, chatBody("broken", "rescued")),
            ("/v1/chat/completions", .admin, chatBody("broken", "rescued", extra: #""stream":true"#)),
            ("/v1/chat/completions", nil, chatBody("demo", "no token")),
            ("/v1/chat/completions", .admin, chatBody("nope", "no endpoint")),
            ("/gateway/nope/chat/completions", .admin, #"{"messages":[]}"#),
            ("/v1/chat/completions", .admin, #"{"model": "demo", "messages": [,]}"#),
            ("/v1/chat/completions", .admin, #"{"messages":[{"role":"user","content":"no model"}]}"#),
            ("/v1/chat/completions", .admin, ""),
            ("/v1/chat/completions", .admin, chatBody("tight", "first")),
            ("/v1/chat/completions", .admin, chatBody("tight", "limited")),
        ]
        final class Answers: Sendable {
            let byPath = Mutex<[ChatPath: [Answer]]>([:])
        }
        let collectedAnswers = Answers()
        for path in ChatPath.allCases {
            // A fresh limiter window for each server: both see the same rate-limit state.
            let gateway = try await makeTestGateway()
            try await gateway.endpoints.create(
                .init(name: "Broken", slug: "broken", model: "mock/error:500", fallbacks: ["demo"]), by: .admin)
            try await gateway.endpoints.create(
                .init(name: "Tight", slug: "tight", model: "mock/echo", rateLimitRPM: 1),
                by: .admin)
            try await withLiveServer(gateway, chat: path) { client in
                var collected: [Answer] = []
                for call in calls {
                    collected.append(Answer(try await client.call(.post, call.path, as: call.role, json: call.body)))
                }
                collectedAnswers.byPath.withLock { $0[path] = collected }
            }
        }
        let answers = collectedAnswers.byPath.withLock { $0 }
        let router = try #require(answers[.router])
        let connection = try #require(answers[.connection])
        #expect(router.count == calls.count)
        for (index, call) in calls.enumerated() {
            #expect(connection[index] == router[index], "\(call.path) \(call.body)")
        }
        // The comparison covers every kind of answer.
        #expect(Set(router.map(\.status)) == [200, 400, 401, 404, 429])
    }

    @Test(
        "one connection mixes chat and router requests, one after another and pipelined, answered in order",
        .timeLimit(.minutes(1))
    )
    func mixedConnection() async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: .connection) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            func chat(_ text: String) -> String {
                let body = chatBody("demo", text)
                return rawChatRequestHead(framing: "Content-Length: \(body.utf8.count)") + body
            }
            let models =
                "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(Role.admin.testToken)\r\n\r\n"
            let received = try await connection.run { writer, inbound in
                var text = ""
                try await writer.write(ByteBuffer(string: chat("first-answer")))
                text += try await inbound.read(until: "first-answer")
                try await writer.write(ByteBuffer(string: models))
                text += try await inbound.read(until: "\"object\":\"list\"")
                // Three requests in one write: each must be answered, in the order sent.
                try await writer.write(ByteBuffer(string: chat("second-answer") + models + chat("third-answer")))
                text += try await inbound.read(until: "third-answer")
                return text
            }
            let order = ["first-answer", "\"object\":\"list\"", "second-answer", "\"object\":\"list\"", "third-answer"]
            var rest = Substring(received)
            for marker in order {
                let found = try #require(rest.range(of: marker), "\(marker) missing or out of order in \(received)")
                rest = rest[found.upperBound...]
            }
            #expect(received.components(separatedBy: "HTTP/1.1 200 OK").count - 1 == 5)
        }
    }

    @Test("a chat request with Connection: close is answered, then the connection closes", .timeLimit(.minutes(1)))
    func connectionClose() async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: .connection) { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            let body = chatBody("demo", "last one")
            let received = try await connection.run { writer, inbound in
                try await writer.write(
                    ByteBuffer(
                        string: rawChatRequestHead(framing: "Content-Length: \(body.utf8.count)\r\nConnection: close")
                            + body))
                // Reads until the server closes; a kept-alive connection would never end this read.
                return try await inbound.read(until: "never sent")
            }
            #expect(received.hasPrefix("HTTP/1.1 200 OK"))
            #expect(received.lowercased().contains("connection: close"))
            #expect(received.contains("last one"))
        }
    }

    @Test("the Date header is an IMF-fixdate")
    func httpDate() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(1_795_000_000) == "Wed, 18 Nov 2026 11:06:40 GMT")
    }

    @Test("only the two chat routes, with a plain slug, are answered on the connection")
    func targets() {
        func target(_ method: HTTPRequest.Method, _ path: String) -> String? {
            ChatTarget(HTTPRequest(method: method, scheme: nil, authority: nil, path: path)).map { target in
                switch target {
                case .model: "model"
                case .path(let slug): slug
                }
            }
        }
        #expect(target(.post, "/v1/chat/completions") == "model")
        #expect(target(.post, "/v1/chat/completions?x=1") == "model")
        #expect(target(.post, "/gateway/demo/chat/completions") == "demo")
        #expect(target(.get, "/v1/chat/completions") == nil)
        #expect(target(.post, "/v1/chat/completions/") == nil)
        #expect(target(.post, "/gateway//chat/completions") == nil)
        #expect(target(.post, "/gateway/a/b/chat/completions") == nil)
        #expect(target(.post, "/gateway/de%20mo/chat/completions") == nil)
        #expect(target(.post, "/v1/models") == nil)
    }
}
