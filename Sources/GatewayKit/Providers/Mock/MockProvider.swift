#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The in-process `mock` provider, for demos, tests and benchmarks. The model name picks the
/// behaviour:
/// - `mock/echo`: answers with the last user message;
/// - `mock/fixed:<text>`: answers with `<text>`;
/// - `mock/error:<status>`: fails as a provider answering HTTP `<status>` would (500 and 429 fall
///   back, 400 does not);
/// - `mock/delay:<ms>`: waits `<ms>` milliseconds, then echoes; past the endpoint's timeout it
///   fails with `upstreamTimeout`.
///
/// Streams send the answer word by word, then a final chunk with the finish reason and usage.
public struct MockProvider: InProcessProvider {
    private let now: @Sendable () -> Int

    /// Creates the provider.
    /// - Parameter now: the clock for `created` timestamps, in Unix seconds.
    public init(now: (@Sendable () -> Int)? = nil) {
        self.now = now ?? { Int(Date().timeIntervalSince1970) }
    }

    enum Behaviour: Equatable {
        case echo
        case fixed(String)
        case error(Int)
        case delay(Int)

        init(model: String) throws(GatewayError) {
            let (kind, argument) =
                model.firstIndex(of: ":").map { (String(model[..<$0]), String(model[model.index(after: $0)...])) }
                ?? (model, "")
            switch kind {
            case "echo": self = .echo
            case "fixed": self = .fixed(argument)
            case "error":
                guard let status = Int(argument), (400...599).contains(status) else {
                    throw GatewayError.invalid("model", "mock/error needs an HTTP status 400-599: mock/error:500")
                }
                self = .error(status)
            case "delay":
                guard let milliseconds = Int(argument), milliseconds >= 0 else {
                    throw GatewayError.invalid("model", "mock/delay needs milliseconds: mock/delay:250")
                }
                self = .delay(milliseconds)
            default:
                throw GatewayError.invalid(
                    "model", "unknown mock model '\(model)': use echo, fixed:<text>, error:<status> or delay:<ms>"
                )
            }
        }
    }

    public func complete(_ request: ChatRequest, for call: ProviderCall) async throws -> ChatResponse {
        let text = try await answer(request, call: call)
        let usage = Self.usage(request, text)
        return ChatResponse(
            id: "mock-\(now())", created: now(), model: call.model.name,
            choices: [.init(message: .assistant(text), finishReason: .stop)], usage: usage
        )
    }

    public func stream(_ request: ChatRequest, for call: ProviderCall) async throws
        -> any AsyncSequence<ChatChunk, any Error> & Sendable
    {
        let text = try await answer(request, call: call)
        let id = "mock-\(now())"
        let created = now()
        let model = call.model.name
        var chunks = [ChatChunk(id: id, created: created, model: model, choices: [.init(delta: .init(role: .assistant, content: ""))])]
        for word in Self.words(text) {
            chunks.append(ChatChunk(id: id, created: created, model: model, choices: [.init(delta: .init(content: word))]))
        }
        var last = ChatChunk(id: id, created: created, model: model, choices: [.init(delta: .init(), finishReason: .stop)])
        last.usage = Self.usage(request, text)
        chunks.append(last)
        return ChunkList(chunks: chunks)
    }

    private func answer(_ request: ChatRequest, call: ProviderCall) async throws -> String {
        switch try Behaviour(model: call.model.name) {
        case .echo:
            return Self.lastUserText(request)
        case .fixed(let text):
            return text
        case .error(let status):
            throw Self.error(status: status)
        case .delay(let milliseconds):
            let delay = Duration.milliseconds(milliseconds)
            if delay > call.timeout {
                try await Task.sleep(for: call.timeout)
                throw GatewayError(.upstreamTimeout, "mock/delay:\(milliseconds) did not answer within \(call.timeout)")
            }
            try await Task.sleep(for: delay)
            return Self.lastUserText(request)
        }
    }

    /// The error a provider answering `status` stands for.
    static func error(status: Int) -> GatewayError {
        let message = "mock provider answered HTTP \(status)"
        let code: GatewayError.Code =
            switch status {
            case 401, 403: .upstreamAuthFailed
            case 429: .upstreamRateLimited
            case 408, 504: .upstreamTimeout
            case 400..<500: .upstreamRejected
            default: .upstream
            }
        return GatewayError(code, message, upstreamStatus: status)
    }

    private static func lastUserText(_ request: ChatRequest) -> String {
        request.messages.last { $0.role == .user }?.text ?? ""
    }

    private static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == " " {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// A rough count: one token per four characters, at least one per message.
    private static func usage(_ request: ChatRequest, _ text: String) -> Usage {
        let prompt = request.messages.reduce(0) { $0 + max(1, $1.text.utf8.count / 4) }
        return Usage(promptTokens: prompt, completionTokens: max(1, text.utf8.count / 4))
    }
}

/// An async sequence over chunks already in memory.
struct ChunkList: AsyncSequence, Sendable {
    typealias Element = ChatChunk
    let chunks: [ChatChunk]

    struct AsyncIterator: AsyncIteratorProtocol {
        var iterator: IndexingIterator<[ChatChunk]>
        mutating func next() async throws -> ChatChunk? { iterator.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(iterator: chunks.makeIterator()) }
}
