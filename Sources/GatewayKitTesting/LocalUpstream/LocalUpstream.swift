import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server on 127.0.0.1 that answers like OpenAI's chat-completions API, for tests.
///
/// Each request is recorded (see ``requests``) and answered by a scripted ``Behaviour``: first one
/// queued for its path, then one queued for any path, then the path's default, then the shared
/// default, and otherwise an echoing ``Behaviour/reply(text:)``.
///
/// ```swift
/// let upstream = try await LocalUpstream.start()
/// upstream.enqueue(.openAIError(429, message: "slow down", headers: ["retry-after": "2"]))
/// // … point the code under test at upstream.baseURL …
/// #expect(upstream.requests.first?.header("authorization") == "Bearer sk-test")
/// try await upstream.shutdown()
/// ```
public final class LocalUpstream: Sendable {
    private let channel: any Channel
    private let state: UpstreamState

    /// The TCP port the server listens on.
    public let port: Int

    private init(channel: any Channel, state: UpstreamState, port: Int) {
        self.channel = channel
        self.state = state
        self.port = port
    }

    // The servers' own threads, apart from the clients' (AsyncHTTPClient uses NIO's singleton), so a
    // busy test server never delays the client under test and timing tests stay honest.
    private static let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    /// Starts a server on 127.0.0.1 on a free port, on event loops of its own.
    /// - Throws: the socket error when the server cannot bind.
    public static func start() async throws -> LocalUpstream {
        let state = UpstreamState()
        let channel = try await ServerBootstrap(group: Self.group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(UpstreamConnectionHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw ChannelError.unknownLocalAddress
        }
        return LocalUpstream(channel: channel, state: state, port: port)
    }

    /// The OpenAI-style base URL, `http://127.0.0.1:PORT/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// The chat-completions URL, `http://127.0.0.1:PORT/v1/chat/completions`.
    public var chatCompletionsURL: String { baseURL + "/chat/completions" }

    /// Queues a behaviour for the next request (to `path`, or to any path when `nil`).
    /// - Parameters:
    ///   - behaviour: how to answer.
    ///   - path: the request path it applies to (`/v1/chat/completions`), or `nil` for any.
    public func enqueue(_ behaviour: Behaviour, path: String? = nil) {
        state.box.withLockedValue { state in
            if let path { state.byPath[path, default: .init()].queue.append(behaviour) }
            else { state.anyPath.queue.append(behaviour) }
        }
    }

    /// Sets the behaviour for every request (to `path`, or to any path when `nil`) that finds no
    /// queued behaviour.
    /// - Parameters:
    ///   - behaviour: how to answer.
    ///   - path: the request path it applies to, or `nil` for any.
    public func setBehaviour(_ behaviour: Behaviour, path: String? = nil) {
        state.box.withLockedValue { state in
            if let path { state.byPath[path, default: .init()].fallback = behaviour }
            else { state.anyPath.fallback = behaviour }
        }
    }

    /// Every request received so far, oldest first.
    public var requests: [RecordedRequest] { state.box.withLockedValue { $0.requests } }

    /// How many connections the server has accepted.
    public var acceptedConnectionCount: Int { state.box.withLockedValue { $0.accepted } }

    /// How many accepted connections have closed, by either side.
    public var closedConnectionCount: Int { state.box.withLockedValue { $0.closed } }

    /// How many accepted connections are open now.
    public var openConnectionCount: Int { state.box.withLockedValue { $0.accepted - $0.closed } }

    /// Waits until at least `count` requests have arrived.
    /// - Parameters:
    ///   - count: the number of requests to wait for.
    ///   - timeout: how long to wait.
    /// - Returns: whether they arrived in time.
    public func waitForRequests(_ count: Int = 1, timeout: Duration = .seconds(5)) async -> Bool {
        await poll(timeout: timeout) { $0.requests.count >= count }
    }

    /// Waits until at least `count` connections have closed since the server started.
    /// - Parameters:
    ///   - count: the number of closed connections to wait for.
    ///   - timeout: how long to wait.
    /// - Returns: whether they closed in time.
    public func waitForConnectionClose(count: Int = 1, timeout: Duration = .seconds(5)) async -> Bool {
        await poll(timeout: timeout) { $0.closed >= count }
    }

    private func poll(timeout: Duration, until done: (UpstreamState.State) -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if state.box.withLockedValue({ done($0) }) { return true }
            guard clock.now < deadline else { return false }
            do { try await clock.sleep(for: .milliseconds(5)) } catch { return false }
        }
    }

    /// Stops listening and closes every open connection.
    /// - Throws: the error closing the listening socket.
    public func shutdown() async throws {
        // A client can see a response's end a moment before its HTTP client returns the connection
        // to its pool; AsyncHTTPClient 1.x traps when a pooled connection closes in that window.
        // Real servers close idle connections long after a response; give clients the same grace.
        try? await Task.sleep(for: .milliseconds(50))
        let open = state.box.withLockedValue { state in
            state.isShutDown = true
            return Array(state.channels.values)
        }
        for connection in open { try? await connection.close() }
        try await channel.close()
    }
}
