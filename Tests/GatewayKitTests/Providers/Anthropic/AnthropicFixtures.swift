#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@testable import GatewayKit
import HTTPTypes
import NIOCore

/// Calls, payloads and JSON helpers for the Anthropic adapter tests.
enum AnthropicFixtures {
    /// The test API key; the tests assert it never appears in errors or descriptions.
    static let secret = "sk-ant-api03-TESTSECRET-0123456789"

    static func call(
        stream: Bool = false, baseURL: String? = nil, apiVersion: String? = nil, secret: String? = secret
    ) -> ProviderCall {
        let key = APIKey(
            id: "key_anthropic", name: "Anthropic", provider: .anthropic,
            settings: .init(baseURL: baseURL, apiVersion: apiVersion), masked: "sk-…6789", version: 1,
            createdAt: Date(timeIntervalSince1970: 0)
        )
        return ProviderCall(
            model: ModelRef(provider: .anthropic, name: "claude-sonnet-4-5"), apiKey: key, secret: secret.map(Secret.init),
            stream: stream
        )
    }

    static let adapter = AnthropicAdapter(now: { 1_700_000_000 })

    static func json(_ buffer: ByteBuffer) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func body(_ request: ChatRequest, stream: Bool = false) throws -> JSONValue {
        try json(adapter.makeRequest(request, for: call(stream: stream)).body)
    }

    static func parse(_ body: String) throws -> ChatResponse {
        try adapter.parseResponse(UpstreamResponse(status: 200, body: ByteBuffer(string: body)), for: call())
    }

    static func classify(_ status: Int, _ body: String, headers: HTTPFields = [:]) -> GatewayError {
        adapter.classifyError(status: status, headers: headers, body: ByteBuffer(string: body), for: call())
    }

    /// The stream from PROVIDERS.md §3.3: text, a ping, a tool call with JSON fragments, the stop.
    static let toolStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01XYZ","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":40,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Paris\\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":31}}

        event: message_stop
        data: {"type":"message_stop"}


        """

    /// A short text answer as an event stream.
    static func textStream(_ words: [String], stopReason: String = "end_turn") -> [String] {
        var parts = [
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        ]
        for word in words {
            parts.append(
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\(word)\"}}\n\n"
            )
        }
        parts.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n")
        parts.append(
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"\(stopReason)\"},\"usage\":{\"output_tokens\":\(words.count)}}\n\n"
        )
        parts.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
        return parts
    }

    /// Feeds `text` to a fresh parser in pieces of `size` bytes, then finishes it.
    static func parseStream(_ text: String, pieceSize size: Int = .max, secret: String? = secret) throws -> [ChatChunk] {
        var parser = adapter.makeStreamParser(for: call(stream: true, secret: secret))
        let bytes = Array(text.utf8)
        var chunks: [ChatChunk] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            chunks += try parser.parse(ByteBuffer(bytes: bytes[start..<end]))
            start = end
        }
        return chunks + (try parser.finish())
    }
}
