#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension BedrockAdapter {
    /// Top-level Converse members a caller may send as extra fields; they are passed through.
    static let passThroughFields: Set<String> = [
        "additionalModelRequestFields", "additionalModelResponseFieldPaths", "guardrailConfig", "promptVariables",
        "requestMetadata", "performanceConfig", "serviceTier",
    ]

    /// The Converse body for `request`.
    /// - Throws: `GatewayError` `invalidRequest` when a message or option cannot be expressed.
    static func converseBody(_ request: ChatRequest) throws(GatewayError) -> JSONValue {
        if let format = request.responseFormat, format != .text {
            throw GatewayError.invalid(
                "response_format", "Bedrock Converse has no JSON response mode; send response_format text or none"
            )
        }
        var body: [String: JSONValue] = [:]
        for (key, value) in request.extra where passThroughFields.contains(key) { body[key] = value }
        var system: [JSONValue] = []
        var messages: [(role: String, content: [JSONValue])] = []
        for (index, message) in request.messages.enumerated() {
            switch message.role {
            case .system, .developer:
                if !message.text.isEmpty { system.append(.object(["text": .string(message.text)])) }
            case .user:
                append(&messages, "user", try userContent(message, index: index))
            case .assistant:
                append(&messages, "assistant", try assistantContent(message, index: index))
            case .tool:
                append(&messages, "user", [toolResult(message)])
            default:
                throw GatewayError.invalid(
                    "messages", "messages[\(index)] has role '\(message.role)', which Bedrock does not accept")
            }
        }
        body["messages"] = .array(messages.map { .object(["role": .string($0.role), "content": .array($0.content)]) })
        if !system.isEmpty { body["system"] = .array(system) }
        if let inference = inferenceConfig(request) { body["inferenceConfig"] = inference }
        if let tools = try toolConfig(request) { body["toolConfig"] = tools }
        if let topK = request.extra["top_k"] {
            var fields = body["additionalModelRequestFields"]?.objectValue ?? [:]
            fields["top_k"] = topK
            body["additionalModelRequestFields"] = .object(fields)
        }
        return .object(body)
    }

    static func encode(_ body: JSONValue) throws(GatewayError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(body))
        } catch {
            throw GatewayError(
                .invalidRequest, "the request could not be written as JSON for Bedrock", underlying: error)
        }
    }

    // Converse needs roles to alternate, so consecutive messages of one role (tool results, or
    // tool results followed by the user's next words) become one message.
    private static func append(
        _ messages: inout [(role: String, content: [JSONValue])], _ role: String, _ content: [JSONValue]
    ) {
        guard !content.isEmpty else { return }
        if let last = messages.indices.last, messages[last].role == role {
            messages[last].content += content
        } else {
            messages.append((role, content))
        }
    }

    private static func userContent(_ message: ChatMessage, index: Int) throws(GatewayError) -> [JSONValue] {
        switch message.content {
        case nil: return []
        case .text(let text): return [.object(["text": .string(text)])]
        case .parts(let parts):
            var blocks: [JSONValue] = []
            for part in parts {
                switch part {
                case .text(let text): blocks.append(.object(["text": .string(text)]))
                case .imageURL(let url, _): blocks.append(try image(url, index: index))
                case .other(let raw):
                    let kind = raw["type"]?.stringValue ?? "unknown"
                    throw GatewayError.invalid(
                        "messages", "messages[\(index)] has a '\(kind)' part, which Bedrock Converse does not accept")
                }
            }
            return blocks
        }
    }

    /// An image block from a `data:image/<format>;base64,<bytes>` URL; Converse takes no remote URLs.
    private static func image(_ url: String, index: Int) throws(GatewayError) -> JSONValue {
        let prefix = "data:image/"
        guard url.hasPrefix(prefix), let marker = url.firstRange(of: ";base64,") else {
            throw GatewayError.invalid(
                "messages",
                "messages[\(index)] has an image URL; Bedrock accepts images only as data:image/...;base64 URLs"
            )
        }
        var format = String(url[url.index(url.startIndex, offsetBy: prefix.count)..<marker.lowerBound]).lowercased()
        if format == "jpg" { format = "jpeg" }
        guard ["png", "jpeg", "gif", "webp"].contains(format) else {
            throw GatewayError.invalid(
                "messages", "messages[\(index)] has a '\(format)' image; Bedrock accepts png, jpeg, gif and webp")
        }
        // Converse carries the bytes base64-encoded in JSON, as the data URL already has them.
        let bytes = String(url[marker.upperBound...])
        return .object(["image": .object(["format": .string(format), "source": .object(["bytes": .string(bytes)])])])
    }

    private static func assistantContent(_ message: ChatMessage, index: Int) throws(GatewayError) -> [JSONValue] {
        var blocks: [JSONValue] = []
        if !message.text.isEmpty { blocks.append(.object(["text": .string(message.text)])) }
        for call in message.toolCalls ?? [] {
            let input: JSONValue
            if call.arguments.trimmingWhitespace().isEmpty {
                input = .object([:])
            } else if let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(call.arguments.utf8)),
                parsed.objectValue != nil
            {
                input = parsed
            } else {
                throw GatewayError.invalid(
                    "messages", "messages[\(index)] calls tool '\(call.name)' with arguments that are not a JSON object"
                )
            }
            blocks.append(
                .object([
                    "toolUse": .object(["toolUseId": .string(call.id), "name": .string(call.name), "input": input])
                ])
            )
        }
        return blocks
    }

    private static func toolResult(_ message: ChatMessage) -> JSONValue {
        .object([
            "toolResult": .object([
                "toolUseId": .string(message.toolCallID ?? ""),
                "content": .array([.object(["text": .string(message.text)])]),
            ])
        ])
    }

    private static func inferenceConfig(_ request: ChatRequest) -> JSONValue? {
        var config: [String: JSONValue] = [:]
        if let maxTokens = request.maxTokens { config["maxTokens"] = .int(maxTokens) }
        if let temperature = request.temperature { config["temperature"] = .double(temperature) }
        if let topP = request.topP { config["topP"] = .double(topP) }
        if let stop = request.stop, !stop.isEmpty { config["stopSequences"] = .array(stop.map { .string($0) }) }
        return config.isEmpty ? nil : .object(config)
    }

    private static func toolConfig(_ request: ChatRequest) throws(GatewayError) -> JSONValue? {
        guard let tools = request.tools, !tools.isEmpty else { return nil }
        let usesTools = request.messages.contains { $0.role == .tool || !($0.toolCalls ?? []).isEmpty }
        // Converse has no "none" choice; drop the tools instead, unless the conversation already
        // has tool blocks, which Converse only accepts alongside a tool configuration.
        if request.toolChoice == ToolChoice.none, !usesTools { return nil }
        var config: [String: JSONValue] = [
            "tools": .array(
                tools.map { tool in
                    var spec: [String: JSONValue] = [
                        "name": .string(tool.name),
                        "inputSchema": .object([
                            "json": tool.parameters ?? .object(["type": .string("object"), "properties": .object([:])])
                        ]),
                    ]
                    if let description = tool.description { spec["description"] = .string(description) }
                    return .object(["toolSpec": .object(spec)])
                })
        ]
        switch request.toolChoice {
        case .auto: config["toolChoice"] = .object(["auto": .object([:])])
        case .required: config["toolChoice"] = .object(["any": .object([:])])
        case .function(let name):
            guard tools.contains(where: { $0.name == name }) else {
                throw GatewayError.invalid("tool_choice", "tool_choice names '\(name)', which is not in tools")
            }
            config["toolChoice"] = .object(["tool": .object(["name": .string(name)])])
        case .some(.none), nil: break
        }
        return .object(config)
    }
}
