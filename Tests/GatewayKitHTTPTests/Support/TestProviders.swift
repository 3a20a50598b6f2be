import GatewayKit
import Synchronization

/// A chunk with `text` as its content.
func testChunk(_ text: String, model: String) -> ChatChunk {
    ChatChunk(id: "test", created: 0, model: model, choices: [.init(delta: .init(content: text))])
}

/// Streams one chunk, then fails as a provider that drops the stream would.
struct BreakingProvider: InProcessProvider {
    func complete(_ request: ChatRequest, for call: ProviderCall) async throws -> ChatResponse {
        throw GatewayError(.upstream, "breaking provider only streams")
    }

    func stream(_ request: ChatRequest, for call: ProviderCall) async throws
        -> any AsyncSequence<ChatChunk, any Error> & Sendable
    {
        Chunks(model: call.model.name)
    }

    struct Chunks: AsyncSequence, Sendable {
        let model: String
        func makeAsyncIterator() -> Iterator { Iterator(model: model) }

        struct Iterator: AsyncIteratorProtocol {
            let model: String
            var sent = 0
            mutating func next() async throws -> ChatChunk? {
                sent += 1
                if sent == 1 { return testChunk("partial ", model: model) }
                throw GatewayError(.upstream, "the upstream connection was reset")
            }
        }
    }
}

/// Streams one chunk, then waits until it is cancelled, and reports the cancellation.
final class HangingProvider: InProcessProvider {
    let cancellations: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    /// Yields once per `complete` call, when it starts waiting.
    let completesStarted: AsyncStream<Void>
    private let completeContinuation: AsyncStream<Void>.Continuation
    private let started = Mutex(0)

    init() {
        (cancellations, continuation) = AsyncStream.makeStream()
        (completesStarted, completeContinuation) = AsyncStream.makeStream()
    }

    var streamsStarted: Int { started.withLock { $0 } }

    func complete(_ request: ChatRequest, for call: ProviderCall) async throws -> ChatResponse {
        completeContinuation.yield()
        return try await withTaskCancellationHandler {
            try await Task.sleep(for: .seconds(60))
            return ChatResponse(id: "h", created: 0, model: call.model.name, choices: [], usage: nil)
        } onCancel: { [continuation] in
            continuation.yield()
        }
    }

    func stream(_ request: ChatRequest, for call: ProviderCall) async throws
        -> any AsyncSequence<ChatChunk, any Error> & Sendable
    {
        started.withLock { $0 += 1 }
        return Chunks(model: call.model.name, continuation: continuation)
    }

    struct Chunks: AsyncSequence, Sendable {
        let model: String
        let continuation: AsyncStream<Void>.Continuation
        func makeAsyncIterator() -> Iterator { Iterator(model: model, continuation: continuation) }

        struct Iterator: AsyncIteratorProtocol {
            let model: String
            let continuation: AsyncStream<Void>.Continuation
            var sent = false
            mutating func next() async throws -> ChatChunk? {
                if !sent {
                    sent = true
                    return testChunk("first ", model: model)
                }
                try await withTaskCancellationHandler {
                    try await Task.sleep(for: .seconds(60))
                } onCancel: { [continuation] in
                    continuation.yield()
                }
                return nil
            }
        }
    }
}

/// Waits for the first element of `stream`, or gives up after `timeout`.
func firstElement(of stream: AsyncStream<Void>, within timeout: Duration) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            var iterator = stream.makeAsyncIterator()
            return await iterator.next() != nil
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return false
        }
        let first = await group.next() ?? false
        group.cancelAll()
        return first
    }
}
