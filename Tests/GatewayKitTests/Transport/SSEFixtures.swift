import Testing

/// Recorded streams from PROVIDERS.md, byte for byte, shared by the SSE and adapter tests.
enum SSEFixtures {
    struct Fixture: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var eventCount: Int
        var eventNames: [String?]

        var testDescription: String { name }
    }

    /// Writes each block followed by a blank line, with `lineBreak` between lines.
    static func stream(_ blocks: [String], lineBreak: String = "\n") -> String {
        blocks.map { block in
            block.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: lineBreak)
                + lineBreak + lineBreak
        }.joined()
    }

    static let chunkHead =
        #""id":"chatcmpl-abc","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini-2024-07-18""#

    /// PROVIDERS.md §1.4, the text stream with a usage chunk.
    static let openAIText = stream([
        #"data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}"#,
        #"data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"content":"18 °C"},"finish_reason":null}],"usage":null}"#,
        #"data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}"#,
        #"data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{"prompt_tokens":52,"completion_tokens":7,"total_tokens":59}}"#,
        "data: [DONE]",
    ])

    /// PROVIDERS.md §1.4, the tool-call stream (the `...` filled with the chunk head), then usage and `[DONE]`.
    static let openAIToolCall = stream([
        #"data: {\#(chunkHead),"choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}"#,
        #"data: {\#(chunkHead),"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}]}"#,
        #"data: {\#(chunkHead),"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"finish_reason":null}]}"#,
        #"data: {\#(chunkHead),"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
        #"data: {\#(chunkHead),"choices":[],"usage":{"prompt_tokens":60,"completion_tokens":15,"total_tokens":75}}"#,
        "data: [DONE]",
    ])

    /// An OpenRouter stream: `: OPENROUTER PROCESSING` comments before and between chunks.
    static let openRouter = stream([
        ": OPENROUTER PROCESSING",
        ": OPENROUTER PROCESSING",
        #"data: {"id":"gen-1","object":"chat.completion.chunk","created":1700000000,"model":"anthropic/claude-sonnet-4","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}"#,
        ": OPENROUTER PROCESSING",
        #"data: {"id":"gen-1","object":"chat.completion.chunk","created":1700000000,"model":"anthropic/claude-sonnet-4","choices":[{"index":0,"delta":{"content":" there"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5,"cost":0.00001}}"#,
        "data: [DONE]",
    ])

    /// PROVIDERS.md §3.3, Anthropic's stream with `event:` lines.
    static let anthropic = stream(anthropicBlocks)

    static let anthropicBlocks = [
        "event: message_start\n"
            + #"data: {"type":"message_start","message":{"id":"msg_01XYZ","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":40,"output_tokens":1}}}"#,
        "event: content_block_start\n"
            + #"data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
        "event: ping\n" + #"data: {"type": "ping"}"#,
        "event: content_block_delta\n"
            + #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking"}}"#,
        "event: content_block_stop\n" + #"data: {"type":"content_block_stop","index":0}"#,
        "event: content_block_start\n"
            + #"data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{}}}"#,
        "event: content_block_delta\n"
            + #"data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#,
        "event: content_block_delta\n"
            + #"data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Paris\"}"}}"#,
        "event: content_block_stop\n" + #"data: {"type":"content_block_stop","index":1}"#,
        "event: message_delta\n"
            + #"data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":31}}"#,
        "event: message_stop\n" + #"data: {"type":"message_stop"}"#,
    ]

    static let geminiBlocks = [
        #"data: {"candidates":[{"content":{"role":"model","parts":[{"text":"18 °C"}]},"index":0}],"usageMetadata":{"promptTokenCount":21,"totalTokenCount":21},"modelVersion":"gemini-2.5-flash","responseId":"mHjsaK7xLc6q"}"#,
        #"data: {"candidates":[{"content":{"role":"model","parts":[{"text":" in Paris."}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":21,"candidatesTokenCount":7,"totalTokenCount":28},"modelVersion":"gemini-2.5-flash","responseId":"mHjsaK7xLc6q"}"#,
    ]

    /// PROVIDERS.md §4.4, a Gemini `alt=sse` stream with CRLF framing.
    static let geminiCRLF = stream(geminiBlocks, lineBreak: "\r\n")

    /// The same stream cut off right after its last data line (no closing blank line).
    static let geminiCRLFUnterminated = String(geminiCRLF.utf8.dropLast(2)) ?? ""

    static let all: [Fixture] = [
        Fixture(name: "OpenAI text", text: openAIText, eventCount: 5, eventNames: Array(repeating: nil, count: 5)),
        Fixture(
            name: "OpenAI tool call", text: openAIToolCall, eventCount: 6, eventNames: Array(repeating: nil, count: 6)
        ),
        Fixture(name: "OpenRouter", text: openRouter, eventCount: 3, eventNames: Array(repeating: nil, count: 3)),
        Fixture(
            name: "Anthropic", text: anthropic, eventCount: 11,
            eventNames: [
                "message_start", "content_block_start", "ping", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop",
            ]
        ),
        Fixture(
            name: "Anthropic CRLF", text: stream(anthropicBlocks, lineBreak: "\r\n"), eventCount: 11,
            eventNames: [
                "message_start", "content_block_start", "ping", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop",
            ]
        ),
        Fixture(name: "Gemini CRLF", text: geminiCRLF, eventCount: 2, eventNames: [nil, nil]),
        Fixture(name: "Gemini CRLF unterminated", text: geminiCRLFUnterminated, eventCount: 2, eventNames: [nil, nil]),
    ]
}
