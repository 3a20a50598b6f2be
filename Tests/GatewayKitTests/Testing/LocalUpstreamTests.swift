import Foundation
import GatewayKit
import GatewayKitTesting
import HTTPTypes
import NIOCore
import Testing

@Suite struct LocalUpstreamTests {
    let transport = HTTPClientTransport()

    private func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test("reply answers a chat.completion with the given text, the request's model and usage")
    func replyWithText() async throws {
        try await withUpstream { upstream in
            upstream.enqueue(.reply(text: "18 °C and sunny"))
            let response = try await transport.send(chatRequest(upstream), timeout: .seconds(5))
            #expect(response.status == 200)
            #expect(response.headers[.contentType] == "application/json")
            let body = try json(response.text)
            #expect(body["object"]?.stringValue == "chat.completion")
            #expect(body["model"]?.stringValue == "gpt-test")
            let message = body["choices"]?.arrayValue?.first?["message"]
            #expect(message?["role"]?.stringValue == "assistant")
            #expect(message?["content"]?.stringValue == "18 °C and sunny")
            #expect(body["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue == "stop")
            #expect(body["usage"]?["prompt_tokens"]?.intValue == 12)
            #expect(body["usage"]?["completion_tokens"]?.intValue == 4)
            #expect(body["usage"]?["total_tokens"]?.intValue == 16)
        }
    }

    @Test("the default behaviour echoes the last message")
    func echo() async throws {
        try await withUpstream { upstream in
            let response = try await transport.send(chatRequest(upstream), timeout: .seconds(5))
            let content = try json(response.text)["choices"]?.arrayValue?.first?["message"]?["content"]
            #expect(content?.stringValue == "hello there")
        }
    }

    @Test("stream sends a role chunk, content chunks, a finish chunk, a usage chunk, then [DONE]")
    func streamWithUsage() async throws {
        try await withUpstream { upstream in
            upstream.enqueue(.stream(chunks: ["Hel", "lo"], includeUsage: true))
            let response = try await transport.stream(chatRequest(upstream), timeout: .seconds(5))
            #expect(response.status == 200)
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = sseData(try await collectText(response.body))
            try #require(events.count == 6)
            let chunks = try events.dropLast().map { try json($0) }
            #expect(chunks.allSatisfy { $0["object"]?.stringValue == "chat.completion.chunk" })
            #expect(Set(chunks.compactMap { $0["id"]?.stringValue }).count == 1)
            #expect(chunks[0]["choices"]?.arrayValue?.first?["delta"]?["role"]?.stringValue == "assistant")
            #expect(chunks[1]["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue == "Hel")
            #expect(chunks[2]["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue == "lo")
            #expect(chunks[2]["choices"]?.arrayValue?.first?["finish_reason"] == .null)
            #expect(chunks[3]["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue == "stop")
            #expect(chunks[3]["usage"] == .null)
            #expect(chunks[4]["choices"]?.arrayValue?.isEmpty == true)
            #expect(chunks[4]["usage"]?["completion_tokens"]?.intValue == 2)
            #expect(events[5] == "[DONE]")
        }
    }

    @Test("stream without usage ends with the finish chunk and [DONE]")
    func streamWithoutUsage() async throws {
        try await withUpstream { upstream in
            upstream.enqueue(.stream(chunks: ["a"], includeUsage: false))
            let response = try await transport.stream(chatRequest(upstream), timeout: .seconds(5))
            let events = sseData(try await collectText(response.body))
            #expect(events.count == 4)
            #expect(events.last == "[DONE]")
            #expect(try json(events[2])["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue == "stop")
        }
    }

    @Test("a long stream of many small chunks arrives complete")
    func longStream() async throws {
        try await withUpstream { upstream in
            upstream.enqueue(.stream(chunks: Array(repeating: "t", count: 3_000), includeUsage: false))
            let response = try await transport.stream(chatRequest(upstream), timeout: .seconds(30))
            let events = sseData(try await collectText(response.body))
            #expect(events.count == 3_003)
            #expect(events.last == "[DONE]")
        }
    }

    @Test("status answers with the given status, OpenAI error body and headers")
    func status() async throws {
        try await withUpstream { upstream in
            upstream.enqueue(.openAIError(429, message: "slow down", type: "rate_limit_error", code: "rate_limit_exceeded", headers: ["retry-after": "2"]))
            upstream.enqueue(.status(500, body: "boom"))
            let limited = try await transport.send(chatRequest(upstream), timeout: .seconds(5))
            #expect(limited.status == 429)
            #expect(limited.headers[HTTPField.Name("retry-after")!] == "2")
            let error = try json(limited.text)["error"]
            #expect(error?["message"]?.stringValue == "slow down")
            #expect(error?["type"]?.stringValue == "rate_limit_error")
            #expect(error?["code"]?.stringValue == "rate_limit_exceeded")
            #expect(error?["param"] == .null)
            let failed = try await transport.send(chatRequest(upstream), timeout: .seconds(5))
            #expect(failed.status == 500)
            #expect(failed.text == "boom")
        }
    }

    @Test("hang records the request and never answers")
    func hang() async throws {
        try await withUpstream { upstream in
            upstream.enqueue(.hang)
            let error = await #expect(throws: GatewayError.self) {
                try await transport.send(chatRequest(upstream), timeout: .seconds(1))
            }
            #expect(error?.code == .upstreamTimeout)
            #expect(await upstream.waitForRequests(1))
            #expect(upstream.requests.count == 1)
        }
    }

    @Test("streamThenDrop sends the role chunk and two chunks, then closes without [DONE]")
    func streamThenDrop() async throws {
        try await withUpstream { upstream in
            upstream.enqueue(.streamThenDrop(chunks: 2))
            let response = try await transport.stream(chatRequest(upstream), timeout: .seconds(5))
            var text = ""
            let error = await #expect(throws: GatewayError.self) {
                for try await piece in response.body { text += String(buffer: piece) }
            }
            #expect(error?.code == .upstream)
            #expect(sseData(text).count == 3)
            #expect(!text.contains("[DONE]"))
            #expect(await upstream.waitForConnectionClose())
        }
    }

    @Test("slowStream spaces its events by the interval")
    func slowStream() async throws {
        try await withUpstream { upstream in
            upstream.enqueue(.slowStream(chunks: ["a", "b"], interval: .milliseconds(100), includeUsage: false))
            let start = ContinuousClock.now
            let response = try await transport.stream(chatRequest(upstream), timeout: .seconds(5))
            let events = sseData(try await collectText(response.body))
            // Five events, four gaps.
            #expect(events.count == 5)
            #expect(ContinuousClock.now - start >= .milliseconds(400))
        }
    }

    @Test("raw sends exactly the given status, headers and bytes")
    func raw() async throws {
        try await withUpstream { upstream in
            let parts = [ByteBuffer(bytes: [0, 1, 2, 255]), ByteBuffer(string: "tail")]
            upstream.enqueue(.raw(status: 201, headers: ["content-type": "application/vnd.amazon.eventstream"], bodyParts: parts, delayBetween: .milliseconds(20)))
            let response = try await transport.send(chatRequest(upstream), timeout: .seconds(5))
            #expect(response.status == 201)
            #expect(response.headers[.contentType] == "application/vnd.amazon.eventstream")
            #expect(Array(response.body.readableBytesView) == [0, 1, 2, 255] + Array("tail".utf8))
        }
    }

    @Test("every request is recorded with method, path, headers and body")
    func records() async throws {
        try await withUpstream { upstream in
            let body = #"{"model":"m","max_tokens":7,"messages":[]}"#
            _ = try await transport.send(
                chatRequest(upstream, body: body, headers: [.authorization: "Bearer sk-test"]), timeout: .seconds(5)
            )
            let request = try #require(upstream.requests.first)
            #expect(request.method == "POST")
            #expect(request.path == "/v1/chat/completions")
            #expect(request.header("Authorization") == "Bearer sk-test")
            #expect(request.bodyString == body)
            #expect(request.json?["max_tokens"]?.intValue == 7)
        }
    }

    @Test("queued behaviours answer once each, in order, before the path's and then the shared default")
    func behaviourOrder() async throws {
        try await withUpstream { upstream in
            upstream.setBehaviour(.reply(text: "shared"))
            upstream.setBehaviour(.reply(text: "path default"), path: "/v1/chat/completions")
            upstream.enqueue(.status(503, body: "queued"))
            upstream.enqueue(.status(502, body: "path queued"), path: "/v1/chat/completions")
            var responses: [UpstreamResponse] = []
            for _ in 0..<3 { responses.append(try await transport.send(chatRequest(upstream), timeout: .seconds(5))) }
            #expect(responses.map(\.status) == [502, 503, 200])
            let third = try json(responses[2].text)["choices"]?.arrayValue?.first?["message"]?["content"]
            #expect(third?.stringValue == "path default")
            let other = UpstreamRequest(url: upstream.baseURL + "/models", body: ByteBuffer())
            let reply = try await transport.send(other, timeout: .seconds(5))
            #expect(try json(reply.text)["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue == "shared")
        }
    }

    @Test("shutdown closes connections that are still open")
    func shutdownClosesConnections() async throws {
        let upstream = try await LocalUpstream.start()
        upstream.enqueue(.hang)
        let transport = self.transport
        let call = Task { try await transport.send(chatRequest(upstream), timeout: .seconds(30)) }
        #expect(await upstream.waitForRequests(1))
        try await upstream.shutdown()
        let error = await #expect(throws: GatewayError.self) { try await call.value }
        #expect(error?.code == .upstream)
        #expect(upstream.openConnectionCount == 0)
    }
}
