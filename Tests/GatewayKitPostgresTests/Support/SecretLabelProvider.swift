import GatewayKit

/// An in-process provider that answers with the label of the secret the router gave it, so a test
/// sees which key's secret a request used without any secret appearing in its output.
struct SecretLabelProvider: InProcessProvider {
    let labels: [String: String]

    func complete(_ request: ChatRequest, for call: ProviderCall) async throws -> ChatResponse {
        let label = call.secret.flatMap { labels[$0.reveal()] } ?? "unknown secret"
        return ChatResponse(
            id: "labelled", created: 0, model: call.model.name,
            choices: [.init(message: .assistant(label), finishReason: .stop)], usage: nil)
    }

    func stream(_ request: ChatRequest, for call: ProviderCall) async throws
        -> any AsyncSequence<ChatChunk, any Error> & Sendable
    {
        let response = try await complete(request, for: call)
        return AsyncThrowingStream { continuation in
            continuation.yield(
                ChatChunk(
                    id: response.id, created: 0, model: response.model,
                    choices: [.init(delta: .init(content: response.text), finishReason: .stop)]))
            continuation.finish()
        }
    }
}
