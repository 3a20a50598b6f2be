import Foundation
import NIOCore
import Testing

@testable import GatewayKit

/// JSONWriter must write exactly the bytes JSONEncoder writes with sorted keys and unescaped
/// slashes; every test compares the two byte for byte.
@Suite struct JSONWriterTests {
    static func encoded(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    static func written(_ value: some JSONWritable) throws -> [UInt8] {
        Array(try value.jsonBuffer().readableBytesView)
    }

    static func wire(
        _ request: ChatRequest, _ field: ChatRequest.MaxTokensField, overrides: [String: JSONValue] = [:]
    ) throws -> [UInt8] {
        var writer = JSONWriter(capacity: 16)
        try request.write(to: &writer, maxTokensField: field, overrides: overrides)
        return Array(writer.buffer.readableBytesView)
    }

    /// The adapter's former JSONEncoder path: the request's wire form, then the overrides.
    struct ReferenceWireBody: Encodable {
        let request: ChatRequest
        let field: ChatRequest.MaxTokensField
        let overrides: [String: JSONValue]

        func encode(to encoder: any Encoder) throws {
            try request.encode(to: encoder, maxTokensField: field)
            var container = encoder.container(keyedBy: AnyCodingKey.self)
            for (key, value) in overrides { try container.encode(value, forKey: AnyCodingKey(key)) }
        }
    }

    /// Expects the writer's bytes to equal JSONEncoder's; returns whether they did.
    @discardableResult
    static func expectSame(
        _ value: some JSONWritable, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Bool {
        let expected = try encoded(value)
        let actual = try written(value)
        #expect(
            actual == expected,
            "writer: \(String(decoding: actual, as: UTF8.self))\nencoder: \(String(decoding: expected, as: UTF8.self))",
            sourceLocation: sourceLocation
        )
        return actual == expected
    }

    static let awkwardStrings: [String] =
        (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + [
            "", "\"", "\\", "/", "a/b", "</script>", "\\\"\\", "\u{7F}", "\u{80}", "\u{2028}\u{2029}", "é",
            "e\u{301}", "👩‍👩‍👧", "🇫🇷 flag", "日本語のテキスト", "tab\there\nnewline\r\u{8}\u{C}", "\u{0}mid\u{1F}",
            "plain ascii text that is long enough to take the fast path through the copy",
        ]

    @Test("every control character, quote, backslash, slash and non-ASCII text is written as JSONEncoder writes it")
    func strings() throws {
        for string in Self.awkwardStrings {
            try Self.expectSame(JSONValue.string(string))
            try Self.expectSame(JSONValue.object([string: .string(string)]))
        }
        let all = Self.awkwardStrings.joined()
        try Self.expectSame(JSONValue.string(all))
    }

    @Test("doubles print as JSONEncoder prints them: 1, 0.1, 1e-07, 1e+21, -0, 123456789.123 and more")
    func doubles() throws {
        let values: [Double] = [
            1.0, 0.1, 1e-7, 1e21, -0.0, 123456789.123, 0, -1.5, 2.5e-5, 1e15, 1e16, 1e22, 1e-300,
            .leastNonzeroMagnitude,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude, 100, 0.2, 1.0 / 3.0,
            9007199254740992, 9007199254740994, 4.35, 1234567.0, -1e-7,
        ]
        for value in values {
            try Self.expectSame(JSONValue.double(value))
        }
        try Self.expectSame(JSONValue.array(values.map(JSONValue.double)))
    }

    @Test("integers print as JSONEncoder prints them, including Int.min and Int.max")
    func integers() throws {
        let values = [0, 1, -1, 9, 10, 99, 100, -100, 123_456_789, Int.max, Int.min, Int.max - 1, Int.min + 1]
        for value in values {
            try Self.expectSame(JSONValue.int(value))
        }
    }

    @Test("a non-finite double is an error, not output", arguments: [Double.nan, .infinity, -.infinity])
    func nonFinite(value: Double) throws {
        #expect(throws: GatewayError.self) { try Self.written(JSONValue.double(value)) }
        #expect(throws: EncodingError.self) { try Self.encoded(JSONValue.double(value)) }
        var request = ChatRequest(messages: [.user("hi")], temperature: value)
        #expect(throws: GatewayError.self) { try Self.written(request) }
        request.temperature = nil
        request.extra["x"] = .array([.object(["deep": .double(value)])])
        let error = try #require(throws: GatewayError.self) { try Self.written(request) }
        #expect(error.code == .invalidRequest)
    }

    @Test("the OpenAI adapter keeps its invalid_request error for a non-finite number")
    func adapterNonFinite() throws {
        let call = try OpenAICompatibleTestSupport.call("openai/gpt-4o-mini")
        let request = ChatRequest(messages: [.user("hi")], temperature: .infinity)
        let error = try #require(throws: GatewayError.self) {
            try OpenAICompatibleAdapter(provider: .openai).makeRequest(request, for: call)
        }
        #expect(error.code == .invalidRequest)
        #expect(error.message.contains("OpenAI"))
    }

    @Test("JSONValue: nested, empty, and object keys sorted by UTF-8 bytes, non-ASCII and empty keys included")
    func jsonValues() throws {
        let keys = ["b", "a", "B", "é", "e\u{301}x", "Z", "aa", "a_", "a0", "", "😀", "\u{7F}", "z", "\"q", "k/"]
        var object: [String: JSONValue] = [:]
        for (index, key) in keys.enumerated() { object[key] = .int(index) }
        try Self.expectSame(JSONValue.object(object))
        try Self.expectSame(JSONValue.object([:]))
        try Self.expectSame(JSONValue.array([]))
        try Self.expectSame(JSONValue.array([.array([]), .object([:]), .null, .bool(true), .bool(false)]))
        let nested: JSONValue = .object([
            "schema": .object([
                "type": .string("object"), "properties": .object(object.mapValues { .array([$0, .object(object)]) }),
                "required": .array([.string("a"), .string("b")]),
            ]),
            "list": .array([.object(["y": .null, "x": .double(0.5)]), .string("s")]),
        ])
        try Self.expectSame(nested)
    }

    @Test("a message with every combination of optional fields set and unset")
    func messages() throws {
        let contents: [ChatContent?] = [
            nil, .text(""), .text("hello \"world\"\n"),
            .parts([
                .text("look"), .imageURL(url: "https://x.test/a.png", detail: nil),
                .imageURL(url: "data:image/png;base64,AAAA", detail: "high"),
                .other(.object(["type": .string("input_audio"), "input_audio": .object(["data": .string("QUJD")])])),
            ]),
            .parts([]),
        ]
        let calls: [[ToolCall]?] = [nil, [], [ToolCall(id: "call_1", name: "f", arguments: #"{"a":"/\n"}"#)]]
        for mask in 0..<16 {
            for content in contents {
                for toolCalls in calls {
                    let message = ChatMessage(
                        role: mask & 1 == 0 ? .assistant : ChatMessage.Role(rawValue: "custom \"role\""),
                        content: content, name: mask & 2 == 0 ? nil : "náme", toolCalls: toolCalls,
                        toolCallID: mask & 4 == 0 ? nil : "call_1", refusal: mask & 8 == 0 ? nil : "no"
                    )
                    try Self.expectSame(message)
                }
            }
        }
    }

    @Test("requests: every optional field set and unset, both token-limit names, tool choices and formats")
    func requests() throws {
        let choices: [ToolChoice?] = [nil, ToolChoice.none, .auto, .required, .function("get_weather")]
        let formats: [ResponseFormat?] = [
            nil, .text, .jsonObject, .jsonSchema(name: "r", schema: .object(["type": .string("object")]), strict: nil),
            .jsonSchema(name: "r", schema: .object([:]), strict: true),
            .jsonSchema(name: "r", schema: .bool(true), strict: false),
        ]
        let tools: [[ChatTool]?] = [
            nil, [],
            [
                ChatTool(name: "a"),
                ChatTool(name: "b", description: "d/e", parameters: .object(["type": .string("object")]), strict: true),
            ],
        ]
        for mask in 0..<(1 << 12) where mask % 7 == 0 || mask == (1 << 12) - 1 {
            var request = ChatRequest(messages: [.system("be brief"), .user("hi")])
            func on(_ bit: Int) -> Bool { mask & (1 << bit) != 0 }
            request.model = on(0) ? "gpt-4o" : nil
            request.maxTokens = on(1) ? 200 : nil
            request.temperature = on(2) ? 0.2 : nil
            request.topP = on(3) ? 1.0 : nil
            request.stop = on(4) ? ["\n", "END"] : nil
            request.seed = on(5) ? -42 : nil
            request.user = on(6) ? "u-1" : nil
            request.n = on(7) ? 2 : nil
            request.presencePenalty = on(8) ? -2.0 : nil
            request.frequencyPenalty = on(8) ? 1e-7 : nil
            request.parallelToolCalls = on(9) ? false : nil
            request.stream = on(10)
            request.includeUsage = on(11) ? on(0) : nil
            request.toolChoice = choices[mask % choices.count]
            request.responseFormat = formats[mask % formats.count]
            request.tools = tools[mask % tools.count]
            for field in [ChatRequest.MaxTokensField.maxTokens, .maxCompletionTokens] {
                let reference = try Self.encoded(ReferenceWireBody(request: request, field: field, overrides: [:]))
                #expect(try Self.wire(request, field) == reference, "mask \(mask), \(field)")
            }
            try Self.expectSame(request)
        }
    }

    @Test("extras merge in sorted order; modelled fields win over extras of the same name; overrides win over both")
    func extrasAndOverrides() throws {
        var request = ChatRequest(messages: [.user("hi")], maxTokens: 5, temperature: 0.5, toolChoice: .auto)
        request.stream = true
        request.includeUsage = true
        request.extra = [
            "model": .string("extra-model"), "temperature": .int(9), "max_tokens": .int(1),
            "max_completion_tokens": .int(2), "stream_options": .null, "aaa": .int(1), "zzz": .array([]),
            "tool_choicf": .bool(true), "tool_choicd": .null, "m": .object(["b": .int(1), "a": .int(2)]),
            "stream_": .string("between"), "": .string("empty key"), "é": .string("non-ascii"),
            "random_seed": .int(7),
        ]
        let overridesList: [[String: JSONValue]] = [
            [:], ["tool_choice": .string("any")], ["temperature": .double(1.5), "aaa": .string("override")],
            ["zzzz": .int(0), "messages": .array([])],
        ]
        for overrides in overridesList {
            for field in [ChatRequest.MaxTokensField.maxTokens, .maxCompletionTokens] {
                let reference = try Self.encoded(
                    ReferenceWireBody(request: request, field: field, overrides: overrides))
                let actual = try Self.wire(request, field, overrides: overrides)
                #expect(
                    actual == reference,
                    "\(overrides.keys.sorted()) \(field): \(String(decoding: actual, as: UTF8.self))"
                )
            }
        }
        try Self.expectSame(request)
    }

    @Test("responses, chunks and usage with every optional field set and unset")
    func answers() throws {
        let usages: [Usage?] = [
            nil, Usage(promptTokens: 1, completionTokens: 2),
            Usage(promptTokens: 10, completionTokens: 20, totalTokens: 35, cachedTokens: 4, reasoningTokens: 5),
            Usage(promptTokens: 0, completionTokens: 0, cachedTokens: 0),
            Usage(promptTokens: 0, completionTokens: 0, reasoningTokens: 0),
        ]
        let deltas: [ChatChunk.Delta] = [
            ChatChunk.Delta(), ChatChunk.Delta(role: .assistant, content: ""),
            ChatChunk.Delta(content: "Hel\"lo", refusal: "r"), ChatChunk.Delta(toolCalls: []),
            ChatChunk.Delta(toolCalls: [
                ChatChunk.ToolCallDelta(index: 0, id: "call_1", name: "f", arguments: ""),
                ChatChunk.ToolCallDelta(index: 1), ChatChunk.ToolCallDelta(index: 0, arguments: #"{"a""#),
                ChatChunk.ToolCallDelta(index: 2, name: "g"), ChatChunk.ToolCallDelta(index: 3, id: "c"),
            ]),
        ]
        for usage in usages {
            for finish in [nil, FinishReason.stop, .toolCalls, FinishReason(rawValue: "")] {
                let choices = deltas.enumerated().map {
                    ChatChunk.Choice(index: $0.offset, delta: $0.element, finishReason: finish)
                }
                try Self.expectSame(
                    ChatChunk(id: "c-1", created: 1_700_000_000, model: "m", choices: choices, usage: usage))
                try Self.expectSame(ChatChunk(id: "", created: 0, model: "", choices: [], usage: usage))
                let message = ChatMessage(
                    role: .assistant, content: nil,
                    toolCalls: [ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Paris"}"#)]
                )
                let response = ChatResponse(
                    id: "r-1", created: -1, model: "gpt-4o",
                    choices: [
                        .init(message: .assistant("Bonjour 👋"), finishReason: finish),
                        .init(index: 1, message: message, finishReason: finish),
                    ],
                    usage: usage
                )
                try Self.expectSame(response)
            }
        }
        try Self.expectSame(ChatResponse(id: "x", created: 0, model: "m", choices: [], usage: nil))
    }
}
