import GatewayKit
import GatewayKitTesting
import HTTPTypes
import NIOCore
import Testing

/// The transport contract, proven against real local servers for every ``TransportKind``.
@Suite struct HTTPClientTransportTests {

    @Test("send returns the status, headers and complete body", arguments: TransportKind.allCases)
    func sendReturnsResponse(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.enqueue(.status(200, body: #"{"ok":true}"#, headers: ["x-request-id": "req-1"]))
                let response = try await transport.send(chatRequest(upstream), timeout: .seconds(5))
                #expect(response.status == 200)
                #expect(response.headers[HTTPField.Name("x-request-id")!] == "req-1")
                #expect(response.headers[.contentType] == "application/json")
                #expect(response.text == #"{"ok":true}"#)
            }
        }
    }

    @Test(
        "request method, headers and body arrive intact, repeated headers included", arguments: TransportKind.allCases)
    func requestArrivesIntact(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                var headers: HTTPFields = [.authorization: "Bearer sk-secret", .contentType: "application/json"]
                headers.append(HTTPField(name: HTTPField.Name("x-tag")!, value: "one"))
                headers.append(HTTPField(name: HTTPField.Name("x-tag")!, value: "two"))
                let body = #"{"model":"gpt-test","max_tokens":64,"messages":[{"role":"user","content":"é ✓"}]}"#
                _ = try await transport.send(chatRequest(upstream, body: body, headers: headers), timeout: .seconds(5))
                let request = try #require(upstream.requests.first)
                #expect(request.method == "POST")
                #expect(request.uri == "/v1/chat/completions")
                #expect(request.header("authorization") == "Bearer sk-secret")
                #expect(request.values(of: "x-tag") == ["one", "two"])
                #expect(request.bodyString == body)
                #expect(request.header("content-length") == String(body.utf8.count))
            }
        }
    }

    @Test("non-2xx statuses are returned, not thrown", arguments: TransportKind.allCases, [400, 401, 429, 500, 503])
    func errorStatusesReturned(kind: TransportKind, status: Int) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.setBehaviour(.openAIError(status, message: "failure \(status)"))
                let sent = try await transport.send(chatRequest(upstream), timeout: .seconds(5))
                #expect(sent.status == status)
                #expect(sent.text.contains("failure \(status)"))
                let streamed = try await transport.stream(chatRequest(upstream), timeout: .seconds(5))
                #expect(streamed.status == status)
                #expect(try await streamed.body.collect(upTo: 1 << 16).readableBytes > 0)
            }
        }
    }

    @Test("send times out when the head never arrives, and closes the connection", arguments: TransportKind.allCases)
    func sendTimesOutWithoutHead(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.enqueue(.hang)
                let start = ContinuousClock.now
                // Long enough that the request is written before it passes, even on a loaded
                // machine: a timeout while still connecting rightly keeps the connection.
                let error = await #expect(throws: GatewayError.self) {
                    try await transport.send(chatRequest(upstream), timeout: .seconds(1))
                }
                #expect(error?.code == .upstreamTimeout)
                #expect(error?.failureClass == .timeout)
                #expect(ContinuousClock.now - start < .seconds(8))
                #expect(await upstream.waitForConnectionClose())
            }
        }
    }

    @Test(
        "send times out when the body does not complete in time, though pieces keep arriving",
        arguments: TransportKind.allCases)
    func sendTimesOutDuringBody(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.enqueue(.slowStream(chunks: Array(repeating: "x", count: 20), interval: .milliseconds(100)))
                let start = ContinuousClock.now
                let error = await #expect(throws: GatewayError.self) {
                    try await transport.send(chatRequest(upstream), timeout: .milliseconds(500))
                }
                #expect(error?.code == .upstreamTimeout)
                #expect(ContinuousClock.now - start < .seconds(8))
                #expect(await upstream.waitForConnectionClose())
            }
        }
    }

    @Test("stream times out when the head never arrives", arguments: TransportKind.allCases)
    func streamTimesOutWithoutHead(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.enqueue(.hang)
                // As in sendTimesOutWithoutHead: long enough for the request to be written first.
                let error = await #expect(throws: GatewayError.self) {
                    try await transport.stream(chatRequest(upstream), timeout: .seconds(1))
                }
                #expect(error?.code == .upstreamTimeout)
                #expect(error?.failureClass == .timeout)
                #expect(await upstream.waitForConnectionClose())
            }
        }
    }

    @Test(
        "a stream that stalls mid-body throws upstreamTimeout from the iteration and closes the connection",
        arguments: TransportKind.allCases)
    func streamIdleTimeout(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.enqueue(.streamThenStall(chunks: 2))
                let response = try await transport.stream(chatRequest(upstream), timeout: .seconds(1))
                var text = ""
                let start = ContinuousClock.now
                let error = await #expect(throws: GatewayError.self) {
                    for try await piece in response.body { text += String(buffer: piece) }
                }
                #expect(error?.code == .upstreamTimeout)
                #expect(sseData(text).count == 3)
                #expect(ContinuousClock.now - start < .seconds(5))
                #expect(await upstream.waitForConnectionClose())
            }
        }
    }

    @Test("a stream longer than its timeout succeeds while each piece comes in time", arguments: TransportKind.allCases)
    func streamTimeoutIsPerPiece(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.enqueue(.slowStream(chunks: ["a", "b", "c", "d", "e"], interval: .milliseconds(100)))
                let response = try await transport.stream(chatRequest(upstream), timeout: .seconds(2))
                let events = sseData(try await collectText(response.body))
                #expect(events.count == 9)
                #expect(events.last == "[DONE]")
            }
        }
    }

    @Test("a slow consumer does not count against the idle timeout", arguments: TransportKind.allCases)
    func slowConsumer(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.enqueue(.stream(chunks: Array(repeating: "token", count: 40)))
                let response = try await transport.stream(chatRequest(upstream), timeout: .seconds(1))
                var count = 0
                for try await _ in response.body {
                    count += 1
                    if count == 1 { try await Task.sleep(for: .milliseconds(2500)) }
                }
                #expect(count > 1)
            }
        }
    }

    @Test("a refused connection fails quickly as a transient upstream error", arguments: TransportKind.allCases)
    func connectionRefused(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            let upstream = try await LocalUpstream.start()
            let request = chatRequest(upstream)
            try await upstream.shutdown()
            let start = ContinuousClock.now
            let sendError = await #expect(throws: GatewayError.self) {
                try await transport.send(request, timeout: .seconds(20))
            }
            #expect(sendError?.code == .upstream)
            #expect(sendError?.failureClass == .transient)
            let streamError = await #expect(throws: GatewayError.self) {
                try await transport.stream(request, timeout: .seconds(20))
            }
            #expect(streamError?.code == .upstream)
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test("a connection dropped mid-body throws upstream from the iteration", arguments: TransportKind.allCases)
    func droppedMidBody(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.enqueue(.streamThenDrop(chunks: 2))
                let response = try await transport.stream(chatRequest(upstream), timeout: .seconds(5))
                let error = await #expect(throws: GatewayError.self) { _ = try await collectText(response.body) }
                #expect(error?.code == .upstream)
                #expect(error?.failureClass == .transient)
                upstream.enqueue(.streamThenDrop(chunks: 1))
                let sendError = await #expect(throws: GatewayError.self) {
                    try await transport.send(chatRequest(upstream), timeout: .seconds(5))
                }
                #expect(sendError?.code == .upstream)
            }
        }
    }

    @Test("a response body over maxResponseBytes is an upstream error", arguments: TransportKind.allCases)
    func responseTooLarge(kind: TransportKind) async throws {
        try await kind.withTransport(.init(maxResponseBytes: 100)) { small in
            try await withUpstream { upstream in
                upstream.enqueue(.reply(text: String(repeating: "long ", count: 100)))
                let error = await #expect(throws: GatewayError.self) {
                    try await small.send(chatRequest(upstream), timeout: .seconds(5))
                }
                #expect(error?.code == .upstream)
                #expect(error?.message.contains("100 bytes") == true)
                // Chunked, so the limit is hit while reading rather than from content-length.
                upstream.enqueue(
                    .raw(status: 200, parts: Array(repeating: String(repeating: "z", count: 40), count: 4)))
                let chunked = await #expect(throws: GatewayError.self) {
                    try await small.send(chatRequest(upstream), timeout: .seconds(5))
                }
                #expect(chunked?.code == .upstream)
            }
        }
    }

    @Test(
        "cancelling the task awaiting send closes the upstream connection promptly", arguments: TransportKind.allCases)
    func cancelSend(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.enqueue(.hang)
                let call = Task { try await transport.send(chatRequest(upstream), timeout: .seconds(30)) }
                #expect(await upstream.waitForRequests(1))
                call.cancel()
                await #expect(throws: CancellationError.self) { try await call.value }
                #expect(await upstream.waitForConnectionClose())
            }
        }
    }

    @Test(
        "cancelling the task awaiting a stream's head closes the upstream connection", arguments: TransportKind.allCases
    )
    func cancelStreamHead(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.enqueue(.hang)
                let call = Task { try await transport.stream(chatRequest(upstream), timeout: .seconds(30)).status }
                #expect(await upstream.waitForRequests(1))
                call.cancel()
                await #expect(throws: CancellationError.self) { try await call.value }
                #expect(await upstream.waitForConnectionClose())
            }
        }
    }

    @Test("cancelling a stream's consumer closes the upstream connection promptly", arguments: TransportKind.allCases)
    func cancelStreamConsumer(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.enqueue(.slowStream(chunks: Array(repeating: "x", count: 100), interval: .milliseconds(200)))
                let response = try await transport.stream(chatRequest(upstream), timeout: .seconds(30))
                let consumer = Task {
                    var pieces = 0
                    for try await _ in response.body { pieces += 1 }
                    return pieces
                }
                try await Task.sleep(for: .milliseconds(300))
                consumer.cancel()
                _ = try? await consumer.value
                #expect(await upstream.waitForConnectionClose())
            }
        }
    }

    @Test("dropping a stream's body unread closes the upstream connection", arguments: TransportKind.allCases)
    func dropBody(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                upstream.enqueue(.streamThenStall(chunks: 1))
                do {
                    let response = try await transport.stream(chatRequest(upstream), timeout: .seconds(30))
                    #expect(response.status == 200)
                }
                #expect(await upstream.waitForConnectionClose())
            }
        }
    }

    @Test("sequential requests to one host reuse a pooled connection", arguments: TransportKind.allCases)
    func connectionReuse(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            try await withUpstream { upstream in
                for _ in 0..<5 { _ = try await transport.send(chatRequest(upstream), timeout: .seconds(5)) }
                upstream.enqueue(.stream(chunks: ["a"]))
                _ = try await collectText(try await transport.stream(chatRequest(upstream), timeout: .seconds(5)).body)
                _ = try await transport.send(chatRequest(upstream), timeout: .seconds(5))
                #expect(upstream.requests.count == 7)
                // AsyncHTTPClient puts a connection back in its pool only once its own write of the
                // request has completed, which can come after the answer reached us: on a loaded
                // machine the next request may then open a second connection. Ours is back in the
                // pool before the answer's end reaches the caller.
                let allowed = kind == .asyncHTTPClient ? 2 : 1
                #expect(upstream.acceptedConnectionCount <= allowed)
                #expect(Set(upstream.requests.map(\.connectionID)).count <= allowed)
            }
        }
    }

    @Test("a transport that owns its client works until shut down, then fails", arguments: TransportKind.allCases)
    func ownedClientLifecycle(kind: TransportKind) async throws {
        let configuration = HTTPClientTransport.Configuration(connectTimeout: .seconds(2), maxResponseBytes: 1 << 20)
        let owned: any HTTPTransport
        let shutdown: () async throws -> Void
        switch kind {
        case .asyncHTTPClient:
            let transport = HTTPClientTransport(configuration: configuration)
            (owned, shutdown) = (transport, { try await transport.shutdown() })
        case .nio:
            let transport = NIOHTTPTransport(configuration: configuration, eventLoopGroup: TransportKind.nioGroup)
            (owned, shutdown) = (transport, { await transport.shutdown() })
        }
        try await withUpstream { upstream in
            let response = try await owned.send(chatRequest(upstream), timeout: .seconds(5))
            #expect(response.status == 200)
            try await shutdown()
            #expect(await upstream.waitForConnectionClose())
            let error = await #expect(throws: GatewayError.self) {
                try await owned.send(chatRequest(upstream), timeout: .seconds(5))
            }
            #expect(error?.code == .upstream)
        }
    }

    @Test("an invalid URL is an upstream error naming the URL problem", arguments: TransportKind.allCases)
    func invalidURL(kind: TransportKind) async throws {
        try await kind.withTransport { transport in
            let request = UpstreamRequest(url: "not a url", body: ByteBuffer())
            let error = await #expect(throws: GatewayError.self) {
                try await transport.send(request, timeout: .seconds(1))
            }
            #expect(error?.code == .upstream)
        }
    }
}
