import HTTPTypes
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Parses an OpenAI-style SSE stream: each `data:` is a `chat.completion.chunk`, `data: [DONE]`
/// ends it, and `data: {"error": …}` is a failure reported after the 200.
struct OpenAICompatibleStreamParser: ProviderStreamParser {
    private let adapter: OpenAICompatibleAdapter
    private let call: ProviderCall
    private var decoder = SSEDecoder()
    private var done = false
    private var sawFinishReason = false
    private let jsonDecoder = JSONDecoder()
    private static let shortData = 16

    init(adapter: OpenAICompatibleAdapter, call: ProviderCall) {
        self.adapter = adapter
        self.call = call
    }

    mutating func parse(_ bytes: ByteBuffer) throws -> [ChatChunk] {
        guard !done else { return [] }
        return try handle(decoder.feed(bytes))
    }

    mutating func finish() throws -> [ChatChunk] {
        let chunks = done ? [] : try handle(decoder.finish())
        // Compatible hosts (Ollama, some proxies) may close without `[DONE]` after a finished
        // choice; without either, the answer was cut off and must not look complete.
        guard done || sawFinishReason else {
            throw GatewayError(
                .upstream, "\(adapter.configuration.name) ended the stream before it finished (no [DONE])",
                upstreamStatus: 200
            )
        }
        return chunks
    }

    private mutating func handle(_ events: [SSEEvent]) throws -> [ChatChunk] {
        var chunks: [ChatChunk] = []
        for event in events {
            // Only a short data can be `[DONE]` or blank; a chunk is never re-scanned for them.
            if event.data.utf8.count <= Self.shortData {
                let trimmed = event.data.trimmingWhitespace()
                if trimmed == "[DONE]" {
                    done = true
                    break
                }
                if trimmed.isEmpty { continue }
            }
            let payload: StreamPayload
            do {
                // The hand-written parser first; on any doubt JSONDecoder decodes or explains.
                if let parsed = try? StreamPayload(json: JSONParser.parse(event.data.utf8)) {
                    payload = parsed
                } else {
                    payload = try jsonDecoder.decode(StreamPayload.self, from: Data(event.data.utf8))
                }
            } catch {
                throw GatewayError(
                    .upstream, "\(adapter.configuration.name) sent a stream event that is not a chat.completion.chunk",
                    upstreamStatus: 200, underlying: error
                )
            }
            if let error = payload.error {
                throw adapter.classify(error, status: 200, headers: [:], call: call)
            }
            guard let chunk = payload.chunk else { continue }
            if chunk.choices.contains(where: { $0.finishReason != nil }) { sawFinishReason = true }
            // Azure's content-filter preamble has neither choices nor usage: nothing for the caller.
            if chunk.choices.isEmpty && chunk.usage == nil { continue }
            chunks.append(chunk)
        }
        return chunks
    }
}

/// One stream event: a chunk, or an error object in its place (or beside it, as OpenRouter sends).
private struct StreamPayload: Decodable {
    var chunk: ChatChunk?
    var error: OpenAICompatibleAdapter.ErrorBody?

    enum CodingKeys: String, CodingKey { case error }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let raw = try container.decodeIfPresent(JSONValue.self, forKey: .error), raw != .null {
            error = Self.errorBody(raw)
            return
        }
        chunk = try ChatChunk(from: decoder)
    }

    /// The same payload from parsed JSON.
    init(json: JSONValue) throws {
        if let raw = json["error"], raw != .null {
            error = Self.errorBody(raw)
            return
        }
        chunk = try ChatChunk(json: json)
    }

    private static func errorBody(_ raw: JSONValue) -> OpenAICompatibleAdapter.ErrorBody? {
        let fallback = JSONValue.object(["error": .string("an error inside the stream")])
        return OpenAICompatibleAdapter.ErrorBody(.object(["error": raw])) ?? OpenAICompatibleAdapter.ErrorBody(fallback)
    }
}
