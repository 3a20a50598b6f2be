#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

extension AnthropicAdapter {
    /// The body version Claude on Vertex AI expects in place of the `anthropic-version` header.
    static let vertexBodyVersion = "vertex-2023-10-16"

    /// Extra request fields Anthropic accepts and that are carried through unchanged.
    static let passThroughFields = ["top_k", "thinking", "metadata", "service_tier"]

    /// The Messages API body for `request`. This is the seam a Claude-on-Vertex adapter reuses:
    /// it passes `model: nil` (the model is in its URL) and
    /// `anthropicVersion: AnthropicAdapter.vertexBodyVersion`; the direct API passes the model and
    /// no body version (the version is a header there).
    func makeBody(
        _ request: ChatRequest, model: String?, anthropicVersion: String?, stream: Bool
    ) throws -> ByteBuffer {
        let fields = try bodyFields(request, model: model, anthropicVersion: anthropicVersion, stream: stream)
        return try Self.encode(.object(fields))
    }

    func bodyFields(
        _ request: ChatRequest, model: String?, anthropicVersion: String?, stream: Bool
    ) throws -> [String: JSONValue] {
        var body: [String: JSONValue] = [:]
        if let model { body["model"] = .string(model) }
        if let anthropicVersion { body["anthropic_version"] = .string(anthropicVersion) }
        let (system, turns) = try Self.turns(request.messages)
        if system.count == 1, let only = system.first {
            body["system"] = .string(only)
        } else if !system.isEmpty {
            body["system"] = .array(system.map { Self.textBlock($0) })
        }
        body["messages"] = .array(turns.map { $0.wire })
        body["max_tokens"] = .int(request.maxTokens ?? configuration.defaultMaxTokens)
        if stream { body["stream"] = .bool(true) }
        if let temperature = request.temperature { body["temperature"] = .double(min(max(temperature, 0), 1)) }
        if let topP = request.topP { body["top_p"] = .double(topP) }
        if let stop = request.stop, !stop.isEmpty { body["stop_sequences"] = .array(stop.map(JSONValue.string)) }
        if let user = request.user { body["metadata"] = .object(["user_id": .string(user)]) }
        if let tools = request.tools, !tools.isEmpty {
            body["tools"] = .array(tools.map(Self.tool))
        }
        let hasTools = request.tools?.isEmpty == false
        if let choice = Self.toolChoice(request.toolChoice, parallel: request.parallelToolCalls, hasTools: hasTools) {
            body["tool_choice"] = choice
        }
        for field in Self.passThroughFields {
            if let value = request.extra[field] { body[field] = value }
        }
        return body
    }

    /// One Anthropic message: a role and its content blocks.
    struct Turn {
        var role: String
        var blocks: [JSONValue]

        /// A lone text block is sent as a plain string, as Anthropic's own examples do.
        var wire: JSONValue {
            if blocks.count == 1, let only = blocks.first, let object = only.objectValue, object.count == 2,
                object["type"]?.stringValue == "text", let text = object["text"]?.stringValue
            {
                return .object(["role": .string(role), "content": .string(text)])
            }
            return .object(["role": .string(role), "content": .array(blocks)])
        }
    }

    /// Splits the conversation into the system texts and the user/assistant turns, merging
    /// consecutive messages of one role (Anthropic requires alternating roles).
    static func turns(_ messages: [ChatMessage]) throws -> (system: [String], turns: [Turn]) {
        var system: [String] = []
        var turns: [Turn] = []
        for (index, message) in messages.enumerated() {
            let role: String
            let blocks: [JSONValue]
            switch message.role {
            case .system, .developer:
                let text = message.text
                if !text.isEmpty { system.append(text) }
                continue
            case .user:
                role = "user"
                blocks = try contentBlocks(message.content, at: index)
            case .assistant:
                role = "assistant"
                blocks =
                    try contentBlocks(message.content, at: index)
                    + toolUseBlocks(message.toolCalls ?? [], at: index)
            case .tool:
                role = "user"
                blocks = [try toolResultBlock(message, at: index)]
            default:
                throw GatewayError.invalid(
                    "messages[\(index)].role", "Anthropic does not accept messages with role '\(message.role)'"
                )
            }
            guard !blocks.isEmpty else { continue }
            if let last = turns.indices.last, turns[last].role == role {
                turns[last].blocks += blocks
            } else {
                turns.append(Turn(role: role, blocks: blocks))
            }
        }
        return (system, turns)
    }

    static func textBlock(_ text: String) -> JSONValue {
        .object(["type": .string("text"), "text": .string(text)])
    }

    /// Text and image blocks; Anthropic rejects empty text blocks, so those are dropped. Other
    /// parts (documents, blocks with `cache_control`) are passed through as written.
    static func contentBlocks(_ content: ChatContent?, at index: Int) throws -> [JSONValue] {
        switch content {
        case nil:
            return []
        case .text(let text):
            return text.isEmpty ? [] : [textBlock(text)]
        case .parts(let parts):
            return try parts.compactMap { part -> JSONValue? in
                switch part {
                case .text(let text): return text.isEmpty ? nil : textBlock(text)
                case .imageURL(let url, _): return try imageBlock(url: url, at: index)
                case .other(let raw): return raw
                }
            }
        }
    }

    /// `https://…` → a URL image source; `data:<type>;base64,<data>` → a base64 source.
    static func imageBlock(url: String, at index: Int) throws -> JSONValue {
        guard url.hasPrefix("data:") else {
            return .object(["type": .string("image"), "source": .object(["type": .string("url"), "url": .string(url)])])
        }
        let afterScheme = url.dropFirst("data:".count)
        guard let comma = afterScheme.firstIndex(of: ","), afterScheme[..<comma].hasSuffix(";base64") else {
            throw GatewayError.invalid(
                "messages[\(index)].content",
                "Anthropic needs an image data URL in the form data:<media type>;base64,<data>"
            )
        }
        let mediaType = afterScheme[..<comma].dropLast(";base64".count)
        return .object([
            "type": .string("image"),
            "source": .object([
                "type": .string("base64"), "media_type": .string(String(mediaType)),
                "data": .string(String(afterScheme[afterScheme.index(after: comma)...])),
            ]),
        ])
    }

    /// Assistant tool calls as `tool_use` blocks; the JSON-string arguments become the `input` object.
    static func toolUseBlocks(_ calls: [ToolCall], at index: Int) throws -> [JSONValue] {
        try calls.map { call in
            let trimmed = call.arguments.trimmingWhitespace()
            var input = JSONValue.object([:])
            if !trimmed.isEmpty {
                let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(trimmed.utf8))
                guard let parsed, parsed.objectValue != nil else {
                    throw GatewayError.invalid(
                        "messages[\(index)].tool_calls",
                        "the arguments of tool call '\(call.id)' must be a JSON object for Anthropic"
                    )
                }
                input = parsed
            }
            return .object([
                "type": .string("tool_use"), "id": .string(call.id), "name": .string(call.name), "input": input,
            ])
        }
    }

    /// A tool message as a `tool_result` block of a user turn.
    static func toolResultBlock(_ message: ChatMessage, at index: Int) throws -> JSONValue {
        guard let id = message.toolCallID, !id.isEmpty else {
            throw GatewayError.invalid(
                "messages[\(index)].tool_call_id", "a tool message needs the tool_call_id it answers"
            )
        }
        let content: JSONValue
        switch message.content {
        case .parts(let parts): content = .array(try contentBlocks(.parts(parts), at: index))
        case .text(let text): content = .string(text)
        case nil: content = .string("")
        }
        return .object(["type": .string("tool_result"), "tool_use_id": .string(id), "content": content])
    }

    static func tool(_ tool: ChatTool) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(tool.name),
            "input_schema": tool.parameters ?? .object(["type": .string("object"), "properties": .object([:])]),
        ]
        if let description = tool.description { object["description"] = .string(description) }
        return .object(object)
    }

    /// `auto` → `auto`, `required` → `any`, a function → `tool`, `none` → `none`;
    /// `parallel_tool_calls: false` → `disable_parallel_tool_use: true`.
    static func toolChoice(_ choice: ToolChoice?, parallel: Bool?, hasTools: Bool) -> JSONValue? {
        var object: [String: JSONValue]
        switch choice {
        case .none?: return .object(["type": .string("none")])
        case .auto?: object = ["type": .string("auto")]
        case .required?: object = ["type": .string("any")]
        case .function(let name)?: object = ["type": .string("tool"), "name": .string(name)]
        case nil:
            guard parallel == false, hasTools else { return nil }
            object = ["type": .string("auto")]
        }
        if parallel == false { object["disable_parallel_tool_use"] = .bool(true) }
        return .object(object)
    }
}
