import GatewayKit
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// OpenAI chat-completions bytes (PROVIDERS.md §1.3–1.5) for ``LocalUpstream``.
enum OpenAIWire {
    static let created = 1_700_000_000
    static let promptTokens = 12

    private struct Usage: Encodable {
        var prompt_tokens: Int
        var completion_tokens: Int
        var total_tokens: Int

        init(completion: Int) {
            prompt_tokens = OpenAIWire.promptTokens
            completion_tokens = completion
            total_tokens = OpenAIWire.promptTokens + completion
        }
    }

    private struct Message: Encodable {
        var role = "assistant"
        var content: String
    }

    private struct Choice: Encodable {
        var index = 0
        var message: Message
        var finish_reason = "stop"
    }

    private struct Completion: Encodable {
        var id: String
        var object = "chat.completion"
        var created = OpenAIWire.created
        var model: String
        var choices: [Choice]
        var usage: Usage
    }

    private struct Delta: Encodable {
        var role: String?
        var content: String?
    }

    private struct ChunkChoice: Encodable {
        var index = 0
        var delta: Delta
        // Encoded as an explicit null while the stream runs, as OpenAI does.
        var finish_reason: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            try container.encode(finish_reason, forKey: .finish_reason)
        }

        enum CodingKeys: String, CodingKey { case index, delta, finish_reason }
    }

    private struct Chunk: Encodable {
        var id: String
        var object = "chat.completion.chunk"
        var created = OpenAIWire.created
        var model: String
        var choices: [ChunkChoice]
        var usage: Usage?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(object, forKey: .object)
            try container.encode(created, forKey: .created)
            try container.encode(model, forKey: .model)
            try container.encode(choices, forKey: .choices)
            try container.encode(usage, forKey: .usage)
        }

        enum CodingKeys: String, CodingKey { case id, object, created, model, choices, usage }
    }

    private struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var message: String
            var type: String
            var param: String?
            var code: String?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encode(param, forKey: .param)
                try container.encode(code, forKey: .code)
            }

            enum CodingKeys: String, CodingKey { case message, type, param, code }
        }

        var error: Detail
    }

    private static func encode(_ value: some Encodable) -> String {
        // Only plain strings and integers are encoded here, which cannot fail.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The model the request named, or `local-model`.
    static func model(of request: RecordedRequest) -> String {
        request.json?["model"]?.stringValue ?? "local-model"
    }

    /// The text content of the request's last message, or an empty string.
    static func lastMessageText(of request: RecordedRequest) -> String {
        request.json?["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
    }

    static func completion(id: String, model: String, text: String) -> String {
        let words = text.split(whereSeparator: \.isWhitespace).count
        return encode(
            Completion(
                id: id, model: model, choices: [Choice(message: Message(content: text))],
                usage: Usage(completion: words)
            )
        )
    }

    /// The SSE events of a stream: role chunk, content chunks, then (when `finished`) the finish chunk,
    /// the optional usage chunk and `[DONE]`.
    static func streamEvents(
        id: String, model: String, chunks: [String], finished: Bool, includeUsage: Bool
    ) -> [String] {
        func event(_ choices: [ChunkChoice], usage: Usage? = nil) -> String {
            "data: " + encode(Chunk(id: id, model: model, choices: choices, usage: usage)) + "\n\n"
        }
        var events = [event([ChunkChoice(delta: Delta(role: "assistant", content: ""))])]
        events += chunks.map { event([ChunkChoice(delta: Delta(content: $0))]) }
        guard finished else { return events }
        events.append(event([ChunkChoice(delta: Delta(), finish_reason: "stop")]))
        if includeUsage { events.append(event([], usage: Usage(completion: chunks.count))) }
        events.append("data: [DONE]\n\n")
        return events
    }

    static func errorBody(message: String, type: String, code: String?) -> String {
        encode(ErrorBody(error: .init(message: message, type: type, code: code)))
    }
}
