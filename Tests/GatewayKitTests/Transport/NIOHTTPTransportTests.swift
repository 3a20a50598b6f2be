import GatewayKit
import GatewayKitTesting
import HTTPTypes
import NIOCore
import NIOPosix
import Testing

/// What ``NIOHTTPTransport`` adds to the shared transport contract (see ``HTTPClientTransportTests``):
/// its connection pools, retry and framing.
@Suite struct NIOHTTPTransportTests {
    @Test("sequential requests on one event loop reuse one pooled connection; another loop has its own")
    func poolPerEventLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let transport = NIOHTTPTransport(eventLoopGroup: group)
        try await withUpstream { upstream async throws in
            let first = LoopRunner(loop: group.next())
            let second = LoopRunner(loop: group.next())
            let firstStatuses = try await first.send(5, over: transport, chatRequest(upstream))
            #expect(firstStatuses == Array(repeating: 200, count: 5))
            #expect(upstream.acceptedConnectionCount == 1)
            let secondStatuses = try await second.send(3, over: transport, chatRequest(upstream))
            let againStatuses = try await first.send(2, over: transport, chatRequest(upstream))
            #expect(secondStatuses == Array(repeating: 200, count: 3))
            #expect(againStatuses == [200, 200])
            #expect(upstream.acceptedConnectionCount == 2)
            #expect(Set(upstream.requests.map(\.connectionID)).count == 2)
        }
        await transport.shutdown()
        try await group.shutdownGracefully()
    }

    @Test("a reused connection the server closed before answering is retried once on a fresh connection")
    func retriesStaleConnection() async throws {
        let server = try await ScriptedUpstream.start { connection, request in
            connection == 0 && request == 1 ? .close : .respond("ok \(connection)")
        }
        try await TransportKind.nio.withTransport { transport async throws in
            let request = UpstreamRequest(url: server.url, body: ByteBuffer(string: "{}"))
            #expect(try await transport.send(request, timeout: .seconds(5)).text == "ok 0")
            #expect(try await transport.send(request, timeout: .seconds(5)).text == "ok 1")
            #expect(server.acceptedConnections == 2)
            #expect(server.requestCount == 3)
        }
        try await server.shutdown()
    }

    @Test("a streamed request on a stale reused connection is retried as well")
    func retriesStaleConnectionForStream() async throws {
        let server = try await ScriptedUpstream.start { connection, request in
            connection == 0 && request == 1 ? .close : .respond("ok \(connection)")
        }
        try await TransportKind.nio.withTransport { transport async throws in
            let request = UpstreamRequest(url: server.url, body: ByteBuffer(string: "{}"))
            #expect(try await transport.send(request, timeout: .seconds(5)).text == "ok 0")
            let response = try await transport.stream(request, timeout: .seconds(5))
            #expect(try await collectText(response.body) == "ok 1")
            #expect(server.acceptedConnections == 2)
        }
        try await server.shutdown()
    }

    @Test("the retry happens once: a second failure before any byte is an upstream error")
    func retriesOnlyOnce() async throws {
        let server = try await ScriptedUpstream.start { connection, request in
            connection == 0 && request == 0 ? .respond("ok") : .close
        }
        try await TransportKind.nio.withTransport { transport async throws in
            let request = UpstreamRequest(url: server.url, body: ByteBuffer(string: "{}"))
            #expect(try await transport.send(request, timeout: .seconds(5)).text == "ok")
            let error = await #expect(throws: GatewayError.self) {
                try await transport.send(request, timeout: .seconds(5))
            }
            #expect(error?.code == .upstream)
            #expect(error?.failureClass == .transient)
            #expect(server.requestCount == 3)
            #expect(server.acceptedConnections == 2)
        }
        try await server.shutdown()
    }

    @Test("a fresh connection closed before any response byte is not retried")
    func freshConnectionNotRetried() async throws {
        let server = try await ScriptedUpstream.start { _, _ in .close }
        try await TransportKind.nio.withTransport { transport async throws in
            let request = UpstreamRequest(url: server.url, body: ByteBuffer(string: "{}"))
            let error = await #expect(throws: GatewayError.self) {
                try await transport.send(request, timeout: .seconds(5))
            }
            #expect(error?.code == .upstream)
            #expect(server.requestCount == 1)
        }
        try await server.shutdown()
    }

    @Test("a response with Connection: close closes its connection instead of pooling it")
    func connectionCloseHonoured() async throws {
        try await TransportKind.nio.withTransport { transport async throws in
            try await withUpstream { upstream async throws in
                upstream.enqueue(.status(200, body: "{}", headers: ["connection": "close"]))
                #expect(try await transport.send(chatRequest(upstream), timeout: .seconds(5)).status == 200)
                #expect(await upstream.waitForConnectionClose())
                #expect(try await transport.send(chatRequest(upstream), timeout: .seconds(5)).status == 200)
                #expect(upstream.acceptedConnectionCount == 2)
            }
        }
    }

    @Test("an HTTP/1.0 response without keep-alive is read to the close and not pooled")
    func http10WithoutKeepAlive() async throws {
        let server = try await ScriptedUpstream.start { connection, _ in .respondHTTP10("old \(connection)") }
        try await TransportKind.nio.withTransport { transport async throws in
            let request = UpstreamRequest(url: server.url, body: ByteBuffer(string: "{}"))
            #expect(try await transport.send(request, timeout: .seconds(5)).text == "old 0")
            #expect(try await transport.send(request, timeout: .seconds(5)).text == "old 1")
            #expect(server.acceptedConnections == 2)
        }
        try await server.shutdown()
    }

    @Test("maxConnectionsPerHost bounds the open connections; extra requests wait their turn and succeed")
    func connectionLimit() async throws {
        try await TransportKind.nio.withTransport(.init(maxConnectionsPerHost: 2)) { transport async throws in
            try await withUpstream { upstream async throws in
                upstream.setBehaviour(.slowStream(chunks: ["a", "b", "c"], interval: .milliseconds(40)))
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<8 {
                        group.addTask { try await transport.send(chatRequest(upstream), timeout: .seconds(20)).status }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses == Array(repeating: 200, count: 8))
                #expect(upstream.requests.count == 8)
                #expect(upstream.acceptedConnectionCount == 2)
            }
        }
    }

    @Test("the wait for a free connection counts toward the request's timeout")
    func waitCountsTowardTimeout() async throws {
        try await TransportKind.nio.withTransport(.init(maxConnectionsPerHost: 1)) { transport async throws in
            try await withUpstream { upstream async throws in
                upstream.enqueue(.hang)
                let busy = Task { try await transport.send(chatRequest(upstream), timeout: .seconds(30)) }
                #expect(await upstream.waitForRequests(1))
                let start = ContinuousClock.now
                let error = await #expect(throws: GatewayError.self) {
                    try await transport.send(chatRequest(upstream), timeout: .milliseconds(300))
                }
                #expect(error?.code == .upstreamTimeout)
                #expect(ContinuousClock.now - start < .seconds(8))
                #expect(upstream.requests.count == 1)
                busy.cancel()
                _ = try? await busy.value
            }
        }
    }

    @Test("chunked and content-length bodies arrive whole, sent or streamed, over one connection")
    func bodyFraming() async throws {
        try await TransportKind.nio.withTransport { transport async throws in
            try await withUpstream { upstream async throws in
                let chunked = LocalUpstream.Behaviour.raw(status: 200, parts: ["ab", "cd", "ef"])
                let sized = LocalUpstream.Behaviour.raw(
                    status: 200, headers: ["content-length": "6"], parts: ["abc", "def"])
                for behaviour in [chunked, sized] {
                    upstream.enqueue(behaviour)
                    #expect(try await transport.send(chatRequest(upstream), timeout: .seconds(5)).text == "abcdef")
                    upstream.enqueue(behaviour)
                    let streamed = try await transport.stream(chatRequest(upstream), timeout: .seconds(5))
                    #expect(try await collectText(streamed.body) == "abcdef")
                }
                #expect(upstream.acceptedConnectionCount == 1)
            }
        }
    }

    @Test("the Host header is added when missing and a caller's Host header is kept")
    func hostHeader() async throws {
        try await TransportKind.nio.withTransport { transport async throws in
            try await withUpstream { upstream async throws in
                _ = try await transport.send(chatRequest(upstream), timeout: .seconds(5))
                var headers = HTTPFields()
                headers.append(HTTPField(name: HTTPField.Name("host")!, value: "api.example.com"))
                _ = try await transport.send(chatRequest(upstream, headers: headers), timeout: .seconds(5))
                #expect(
                    upstream.requests.map { $0.values(of: "host") } == [
                        ["127.0.0.1:\(upstream.port)"], ["api.example.com"],
                    ])
            }
        }
    }
}

/// Runs calls on one event loop, as gateway-server's request handlers do.
private actor LoopRunner {
    let loop: any EventLoop
    nonisolated var unownedExecutor: UnownedSerialExecutor { loop.executor.asUnownedSerialExecutor() }

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func send(_ count: Int, over transport: NIOHTTPTransport, _ request: UpstreamRequest) async throws -> [Int] {
        var statuses: [Int] = []
        for _ in 0..<count {
            #expect(loop.inEventLoop)
            statuses.append(try await transport.send(request, timeout: .seconds(5)).status)
        }
        return statuses
    }
}
