#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@testable import GatewayKit
import HTTPTypes
import NIOCore

/// Calls, payloads and JSON helpers for the Cohere adapter tests.
enum CohereFixtures {
    /// The test API key; the tests assert it never appears in errors or descriptions.
    static let secret = "co-TESTSECRET-abcdef0123456789"

    static func call(stream: Bool = false, baseURL: String? = nil, secret: String? = secret) -> ProviderCall {
        let key = APIKey(
            id: "key_cohere", name: "Cohere", provider: .cohere, settings: .init(baseURL: baseURL), masked: "co-…6789",
            version: 1, createdAt: Date(timeIntervalSince1970: 0)
        )
        return ProviderCall(
            model: ModelRef(provider: .cohere, name: "command-a-03-2025"), apiKey: key, secret: secret.map(Secret.init),
            stream: stream
        )
    }

    static let adapter = CohereAdapter(now: { 1_700_000_000 })

    static func json(_ buffer: ByteBuffer) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func body(_ request: ChatRequest) throws -> JSONValue {
        try json(adapter.makeRequest(request, for: call()).body)
    }

    static func parse(_ body: String) throws -> ChatResponse {
        try adapter.parseResponse(UpstreamResponse(status: 200, body: ByteBuffer(string: body)), for: call())
    }

    static func classify(_ status: Int, _ body: String, headers: HTTPFields = [:]) -> GatewayError {
        adapter.classifyError(status: status, headers: headers, body: ByteBuffer(string: body), for: call())
    }

    /// The text stream from PROVIDERS.md §6.3, with its trailing `data: [DONE]`.
    static let textStream = """
        event: message-start
        data: {"id":"5a50480a","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}

        event: content-start
        data: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}

        event: content-delta
        data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"18 °C"}}}}

        event: content-delta
        data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":" in Paris."}}}}

        event: content-end
        data: {"type":"content-end","index":0}

        event: message-end
        data: {"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":9,"output_tokens":7},"tokens":{"input_tokens":75,"output_tokens":7}}}}

        data: [DONE]


        """

    /// A tool-call stream: plan, one call with argument fragments, citations and debug to ignore.
    static let toolStream = """
        event: message-start
        data: {"id":"5a50480b","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}

        event: tool-plan-delta
        data: {"type":"tool-plan-delta","delta":{"message":{"tool_plan":"I will"}}}

        event: tool-plan-delta
        data: {"type":"tool-plan-delta","delta":{"message":{"tool_plan":" call get_weather."}}}

        event: tool-call-start
        data: {"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"get_weather_1a2b","type":"function","function":{"name":"get_weather","arguments":""}}}}}

        event: tool-call-delta
        data: {"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"{\\"city\\":"}}}}}

        event: tool-call-delta
        data: {"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":"\\"Paris\\"}"}}}}}

        event: tool-call-end
        data: {"type":"tool-call-end","index":0}

        event: citation-start
        data: {"type":"citation-start","index":0,"delta":{"message":{"citations":{"start":0,"end":2,"text":"18"}}}}

        event: citation-end
        data: {"type":"citation-end","index":0}

        event: debug
        data: {"type":"debug","prompt":"..."}

        event: message-end
        data: {"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"billed_units":{"input_tokens":20,"output_tokens":15}}}}


        """

    /// Feeds `text` to a fresh parser in pieces of `size` bytes, then finishes it.
    static func parseStream(_ text: String, pieceSize size: Int = .max) throws -> [ChatChunk] {
        var parser = adapter.makeStreamParser(for: call(stream: true))
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
