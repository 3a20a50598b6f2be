import GatewayKit
import Synchronization

/// An in-process provider that records the requests the router hands it and answers "ok".
final class RecordingProvider: InProcessProvider {
    private let seen = Mutex<[ChatRequest]>([])

    var requests: [ChatRequest] { seen.withLock { $0 } }

    func complete(_ request: ChatRequest, for call: ProviderCall) async throws -> ChatResponse {
        seen.withLock { $0.append(request) }
        return ChatResponse(id: "r", created: 0, model: call.model.name, choices: [.init(message: .assistant("ok"), finishReason: .stop)], usage: nil)
    }

    func stream(_ request: ChatRequest, for call: ProviderCall) async throws -> any AsyncSequence<ChatChunk, any Error> & Sendable {
        seen.withLock { $0.append(request) }
        return AsyncThrowingStream { continuation in
            continuation.yield(ChatChunk(id: "r", created: 0, model: call.model.name, choices: [.init(delta: .init(content: "ok"), finishReason: .stop)]))
            continuation.finish()
        }
    }
}
