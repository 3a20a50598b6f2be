import Foundation
import GatewayKit
import GatewayKitHTTP
import GatewayKitTesting
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct GatewayRoutesChatTests {
    @Test("answers a chat completion in the OpenAI shape and names the serving endpoint", arguments: ChatPath.allCases)
    func completes(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: path) { client in
            let response = try await client.call(.post, "/v1/chat/completions", json: chatBody("demo", "hello there"))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[HTTPField.Name("x-gateway-endpoint")!] == "demo")
            #expect(response.headers[HTTPField.Name("x-gateway-fallback")!] == nil)
            let body = try response.object()
            #expect(body["object"] as? String == "chat.completion")
            let choice = try #require((body["choices"] as? [[String: Any]])?.first)
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["content"] as? String == "hello there")
            #expect(choice["finish_reason"] as? String == "stop")
            #expect((body["usage"] as? [String: Any])?["total_tokens"] is Int)
        }
    }

    @Test("addresses an endpoint by path with /gateway/<slug>/chat/completions", arguments: ChatPath.allCases)
    func completesByPath(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: path) { client in
            let body = #"{"messages":[{"role":"user","content":"by path"}]}"#
            let response = try await client.call(.post, "/gateway/demo/chat/completions", as: .reviewer, json: body)
            #expect(response.status == .ok)
            #expect(response.headers[HTTPField.Name("x-gateway-endpoint")!] == "demo")
            #expect(response.text.contains("by path"))
        }
    }

    @Test("marks a response a fallback served with x-gateway-fallback", arguments: ChatPath.allCases)
    func marksFallback(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await gateway.endpoints.create(
            .init(name: "Broken", slug: "broken", model: "mock/error:500", fallbacks: ["demo"]), by: .admin
        )
        try await withLiveServer(gateway, chat: path) { client in
            let response = try await client.call(.post, "/v1/chat/completions", json: chatBody("broken", "rescued"))
            #expect(response.status == .ok)
            #expect(response.headers[HTTPField.Name("x-gateway-endpoint")!] == "demo")
            #expect(response.headers[HTTPField.Name("x-gateway-fallback")!] == "true")
            let streamed = try await client.call(
                .post, "/v1/chat/completions", json: chatBody("broken", "rescued", extra: #""stream":true"#)
            )
            #expect(streamed.status == .ok)
            #expect(streamed.headers[HTTPField.Name("x-gateway-endpoint")!] == "demo")
            #expect(streamed.headers[HTTPField.Name("x-gateway-fallback")!] == "true")
        }
    }

    @Test("streams server-sent events, one chunk per event, ending with [DONE] and no usage", arguments: ChatPath.allCases)
    func streams(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: path) { client in
            let response = try await client.call(
                .post, "/v1/chat/completions", json: chatBody("demo", "one two three", extra: #""stream":true"#)
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            #expect(response.headers[HTTPField.Name("x-gateway-endpoint")!] == "demo")
            #expect(response.text.hasSuffix("\n\n"))
            let events = response.events
            #expect(events.last == "[DONE]")
            let chunks = try events.dropLast().map { event in
                try #require(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])
            }
            #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
            #expect(chunks.allSatisfy { $0["usage"] == nil })
            let text = chunks.compactMap { chunk in
                ((chunk["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["content"] as? String
            }.joined()
            #expect(text == "one two three")
        }
    }

    @Test("sends a usage chunk with no choices only when stream_options.include_usage is set", arguments: ChatPath.allCases)
    func usageChunkOnlyWhenAsked(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await withLiveServer(gateway, chat: path) { client in
            let asked = try await client.call(
                .post, "/v1/chat/completions",
                json: chatBody("demo", "count me", extra: #""stream":true,"stream_options":{"include_usage":true}"#)
            )
            let events = asked.events
            #expect(events.last == "[DONE]")
            let usageEvents = events.filter { $0.contains("\"usage\"") }
            #expect(usageEvents.count == 1)
            let usageEvent = try #require(usageEvents.first)
            let usageChunk = try #require(
                try JSONSerialization.jsonObject(with: Data(usageEvent.utf8)) as? [String: Any]
            )
            #expect((usageChunk["choices"] as? [Any])?.isEmpty == true)
            #expect(events.dropLast().last == usageEvents.first)
            let notAsked = try await client.call(
                .post, "/v1/chat/completions",
                json: chatBody("demo", "count me", extra: #""stream":true,"stream_options":{"include_usage":false}"#)
            )
            #expect(!notAsked.text.contains("\"usage\""))
            #expect(notAsked.events.last == "[DONE]")
        }
    }

    @Test("a stream that fails before its first chunk answers with a JSON error and its status", arguments: ChatPath.allCases)
    func streamFailsBeforeFirstChunk(path: ChatPath) async throws {
        let gateway = try await makeTestGateway()
        try await gateway.endpoints.create(.init(name: "Refuses", slug: "refuses", model: "mock/error:400"), by: .admin)
        try await withLiveServer(gateway, chat: path) { client in
            let response = try await client.call(
                .post, "/v1/chat/completions", json: chatBody("refuses", "no", extra: #""stream":true"#)
            )
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/json")
            #expect(try response.error()["code"] as? String == "upstream_rejected")
        }
    }

    @Test("a stream that fails after its first chunk ends with an error event and no [DONE]", arguments: ChatPath.allCases)
    func streamFailsAfterFirstChunk(path: ChatPath) async throws {
        let gateway = try await makeTestGateway(extraProviders: [("breaking", BreakingProvider())])
        try await gateway.endpoints.create(.init(name: "Breaks", slug: "breaks", model: "breaking/x"), by: .admin)
        try await withLiveServer(gateway, chat: path) { client in
            let response = try await client.call(
                .post, "/v1/chat/completions", json: chatBody("breaks", "go", extra: #""stream":true"#)
            )
            #expect(response.status == .ok)
            let events = response.events
            #expect(events.count == 2)
            #expect(events.first?.contains("partial ") == true)
            let last = try #require(events.last)
            let error = try #require(
                (try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])?["error"] as? [String: Any]
            )
            #expect(error["code"] as? String == "upstream_error")
            #expect((error["message"] as? String)?.contains("reset") == true)
            #expect(!response.text.contains("[DONE]"))
        }
    }

    @Test(
        "a client that leaves while waiting for a complete answer cancels the provider call, with and without GatewayConnectionHandler",
        arguments: [true, false], ChatPath.allCases
    )
    func disconnectCancelsComplete(connectionHandler: Bool, path: ChatPath) async throws {
        let hanging = HangingProvider()
        let gateway = try await makeTestGateway(extraProviders: [("hanging", hanging)])
        try await gateway.endpoints.create(.init(name: "Hangs", slug: "hangs", model: "hanging/x"), by: .admin)
        try await withLiveServer(gateway, chat: path, connectionHandler: connectionHandler) { client in
            let port = try #require(client.port)
            // A first request on the same connection, so the second one is watched on a reused connection.
            let connection = try await RawConnection.open(port: port)
            let first = chatBody("demo", "before")
            let body = chatBody("hangs", "wait")
            try await connection.run { writer, inbound in
                try await writer.write(
                    ByteBuffer(string: rawChatRequestHead(framing: "Content-Length: \(first.utf8.count)") + first))
                let answered = try await inbound.read(until: "before")
                #expect(answered.contains("200 OK"))
                try await writer.write(
                    ByteBuffer(string: rawChatRequestHead(framing: "Content-Length: \(body.utf8.count)") + body))
                #expect(await firstElement(of: hanging.completesStarted, within: .seconds(5)))
            }
            // The connection is closed with the call in flight; the provider must see it cancelled.
            #expect(await firstElement(of: hanging.cancellations, within: .seconds(5)))
        }
    }

    @Test(
        "a client that disconnects mid-stream cancels the upstream stream at once, with and without GatewayConnectionHandler",
        arguments: [true, false], ChatPath.allCases
    )
    func disconnectCancelsUpstream(connectionHandler: Bool, path: ChatPath) async throws {
        let hanging = HangingProvider()
        let gateway = try await makeTestGateway(extraProviders: [("hanging", hanging)])
        try await gateway.endpoints.create(.init(name: "Hangs", slug: "hangs", model: "hanging/x"), by: .admin)
        try await withLiveServer(gateway, chat: path, connectionHandler: connectionHandler) { client in
            let port = try #require(client.port)
            let connection = try await RawConnection.open(port: port)
            let body = chatBody("hangs", "wait", extra: #""stream":true"#)
            try await connection.run { writer, inbound in
                try await writer.write(
                    ByteBuffer(string: rawChatRequestHead(framing: "Content-Length: \(body.utf8.count)") + body))
                let received = try await inbound.read(until: "first ")
                #expect(received.contains("200 OK"))
            }
            // The connection is closed now; the provider must see its stream cancelled promptly.
            #expect(await firstElement(of: hanging.cancellations, within: .seconds(5)))
        }
    }

    @Test(
        "a client that disconnects mid-stream closes the connection to the real upstream, with and without GatewayConnectionHandler",
        arguments: [true, false], ChatPath.allCases
    )
    func disconnectClosesUpstreamConnection(connectionHandler: Bool, path: ChatPath) async throws {
        let upstream = try await LocalUpstream.start()
        upstream.setBehaviour(.slowStream(chunks: ["first "] + Array(repeating: "more ", count: 100), interval: .milliseconds(100)))
        let gateway = try await makeTestGateway()
        let key = try await gateway.keys.create(
            .init(name: "Upstream", provider: .openai, secret: "sk-upstream-0123456789", settings: .init(baseURL: upstream.baseURL)),
            by: .admin
        )
        try await gateway.endpoints.create(.init(name: "Slow", slug: "slow", model: "openai/gpt-4o", apiKeyID: key.id), by: .admin)
        try await withLiveServer(gateway, chat: path, connectionHandler: connectionHandler) { client in
            let port = try #require(client.port)
            let connection = try await RawConnection.open(port: port)
            let body = chatBody("slow", "go", extra: #""stream":true"#)
            try await connection.run { writer, inbound in
                try await writer.write(
                    ByteBuffer(string: rawChatRequestHead(framing: "Content-Length: \(body.utf8.count)") + body))
                let received = try await inbound.read(until: "first ")
                #expect(received.contains("200 OK"))
            }
            #expect(await upstream.waitForConnectionClose(timeout: .seconds(5)))
            #expect(upstream.requests.count == 1)
        }
        try await upstream.shutdown()
    }

    @Test("lists the active endpoints the caller's role may see as OpenAI models")
    func listsModels() async throws {
        let gateway = try await makeTestGateway()
        try await gateway.endpoints.create(
            .init(name: "Admins only", slug: "admins-only", model: "mock/echo", allowedRoles: [.admin]), by: .admin
        )
        try await gateway.endpoints.create(
            .init(name: "Off", slug: "off", model: "mock/echo", isActive: false), by: .admin)
        try await withLiveServer(gateway) { client in
            func ids(_ role: Role) async throws -> [String] {
                let response = try await client.call(.get, "/v1/models", as: role)
                #expect(response.status == .ok)
                let body = try response.object()
                #expect(body["object"] as? String == "list")
                let data = try #require(body["data"] as? [[String: Any]])
                #expect(
                    data.allSatisfy { $0["object"] as? String == "model" && $0["owned_by"] as? String == "gatewaykit" })
                #expect(data.allSatisfy { $0["created"] is Int })
                return data.compactMap { $0["id"] as? String }
            }
            let adminSees = try await ids(.admin)
            let reviewerSees = try await ids(.reviewer)
            #expect(adminSees == ["admins-only", "demo"])
            #expect(reviewerSees == ["demo"])
        }
    }
}
