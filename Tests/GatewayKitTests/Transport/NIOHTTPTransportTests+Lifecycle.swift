import Foundation
import GatewayKitTesting
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import GatewayKit

/// Connection lifetimes and TLS of ``NIOHTTPTransport``.
@Suite struct NIOHTTPTransportLifecycleTests {
    @Test("an idle pooled connection closes after idleConnectionTimeout")
    func idleTimeoutClosesConnection() async throws {
        try await TransportKind.nio.withTransport(.init(idleConnectionTimeout: .milliseconds(200))) { transport in
            try await withUpstream { upstream in
                _ = try await transport.send(chatRequest(upstream), timeout: .seconds(5))
                #expect(await upstream.waitForConnectionClose())
                _ = try await transport.send(chatRequest(upstream), timeout: .seconds(5))
                #expect(upstream.acceptedConnectionCount == 2)
            }
        }
    }

    @Test("a pooled connection the server closes while idle leaves the pool at once")
    func serverCloseLeavesPool() async throws {
        let server = try await ScriptedUpstream.start { connection, _ in .respond("ok \(connection)") }
        let transport = NIOHTTPTransport(eventLoopGroup: TransportKind.nioGroup)
        let request = UpstreamRequest(url: server.url, body: ByteBuffer(string: "{}"))
        #expect(try await transport.send(request, timeout: .seconds(5)).text == "ok 0")
        #expect(await transport.connectionCounts(to: server.url) == (open: 1, idle: 1))
        await server.closeConnections()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while await transport.connectionCounts(to: server.url).open > 0, clock.now < deadline {
            try await clock.sleep(for: .milliseconds(10))
        }
        #expect(await transport.connectionCounts(to: server.url) == (open: 0, idle: 0))
        #expect(try await transport.send(request, timeout: .seconds(5)).text == "ok 1")
        #expect(server.requestCount == 2)
        await transport.shutdown()
        try await server.shutdown()
    }

    @Test("a stream dropped half-read is not pooled; a fully read one is")
    func halfReadStreamNotPooled() async throws {
        let transport = NIOHTTPTransport(eventLoopGroup: TransportKind.nioGroup)
        try await withUpstream { upstream in
            upstream.enqueue(.stream(chunks: ["a", "b"]))
            let full = try await transport.stream(chatRequest(upstream), timeout: .seconds(5))
            _ = try await collectText(full.body)
            #expect(await transport.connectionCounts(to: upstream.chatCompletionsURL) == (open: 1, idle: 1))
            upstream.enqueue(.streamThenStall(chunks: 1))
            do {
                let half = try await transport.stream(chatRequest(upstream), timeout: .seconds(5))
                var iterator = half.body.makeAsyncIterator()
                _ = try await iterator.next()
            }
            #expect(await upstream.waitForConnectionClose())
            #expect(await transport.connectionCounts(to: upstream.chatCompletionsURL) == (open: 0, idle: 0))
        }
        await transport.shutdown()
    }

    @Test("a slow stream consumer holds the upstream back instead of the transport buffering the body")
    func backPressure() async throws {
        let total = 32 << 20
        let server = try await ScriptedUpstream.start { _, _ in .respondLarge(bytes: total) }
        let transport = NIOHTTPTransport(eventLoopGroup: TransportKind.nioGroup)
        let request = UpstreamRequest(url: server.url, body: ByteBuffer(string: "{}"))
        let response = try await transport.stream(request, timeout: .seconds(10))
        var iterator = response.body.makeAsyncIterator()
        var received = try #require(try await iterator.next()).readableBytes
        try await Task.sleep(for: .seconds(1))
        // Kernel socket buffers and a few pieces in the body's buffer, not the whole body.
        #expect(server.bytesWritten < total / 2)
        while let piece = try await iterator.next() { received += piece.readableBytes }
        #expect(received == total)
        await transport.shutdown()
        try await server.shutdown()
    }

    @Test("https with a custom trust root works and reuses its connection; untrusted certificates fail")
    func https() async throws {
        // openssl runs as a child process: wait for it on NIO's blocking pool, not a Swift concurrency thread.
        let certificate = try await NIOThreadPool.singleton.runIfActive {
            try TestCertificate.make(commonName: "localhost")
        }
        let server = try await ScriptedUpstream.start(tls: certificate.serverContext) { connection, _ in
            .respond("secure \(connection)")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([certificate.certificate])
        let url = "https://localhost:\(server.port)/v1/chat/completions"
        let request = UpstreamRequest(url: url, body: ByteBuffer(string: "{}"))
        let transport = NIOHTTPTransport(eventLoopGroup: TransportKind.nioGroup, tlsConfiguration: tls)
        let sent = try await transport.send(request, timeout: .seconds(5))
        #expect(sent.text == "secure 0")
        let streamed = try await transport.stream(request, timeout: .seconds(5))
        #expect(try await collectText(streamed.body) == "secure 0")
        await transport.shutdown()
        let strict = NIOHTTPTransport(eventLoopGroup: TransportKind.nioGroup)
        let error = await #expect(throws: GatewayError.self) { try await strict.send(request, timeout: .seconds(5)) }
        #expect(error?.code == .upstream)
        #expect(error?.failureClass == .transient)
        await strict.shutdown()
        #expect(server.acceptedConnections == 2)
        try await server.shutdown()
    }
}

/// A self-signed certificate made with the openssl command-line tool, for TLS tests.
struct TestCertificate: Sendable {
    var certificate: NIOSSLCertificate
    var serverContext: NIOSSLContext

    static func make(commonName: String) throws -> TestCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gatewaykit-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("key.pem").path
        let certificatePath = directory.appendingPathComponent("cert.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-keyout", keyPath, "-out", certificatePath, "-subj", "/CN=\(commonName)",
            "-addext", "subjectAltName=DNS:\(commonName)",
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl could not make a certificate")
        let certificate = try #require(try NIOSSLCertificate.fromPEMFile(certificatePath).first)
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        let server = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        return TestCertificate(certificate: certificate, serverContext: try NIOSSLContext(configuration: server))
    }
}
