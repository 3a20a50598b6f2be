import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Builds Gemini's `GenerateContentRequest` (camelCase) from a canonical chat request.
enum GeminiRequestBody {
    static func encode(_ request: ChatRequest) throws -> ByteBuffer {
        let data = try JSONEncoder().encode(make(request))
        return ByteBuffer(bytes: data)
    }

    static func make(_ request: ChatRequest) throws(GatewayError) -> JSONValue {
        var body: [String: JSONValue] = [:]
        let (system, contents) = try conversation(request.messages)
        if !system.isEmpty { body["systemInstruction"] = .object(["parts": .array(system)]) }
        body["contents"] = .array(contents)
        if let config = generationConfig(request) { body["generationConfig"] = .object(config) }
        if let tools = request.tools, !tools.isEmpty {
            body["tools"] = .array([.object(["functionDeclarations": .array(tools.map(declaration))])])
        }
        if let choice = request.toolChoice { body["toolConfig"] = toolConfig(choice) }
        for (field, names) in passThroughFields {
            if let value = names.lazy.compactMap({ request.extra[$0] }).first { body[field] = value }
        }
        return .object(body)
    }

    // Gemini-native top-level fields a client may send as extras, under either spelling.
    private static let passThroughFields: [(String, [String])] = [
        ("safetySettings", ["safetySettings", "safety_settings"]),
        ("cachedContent", ["cachedContent", "cached_content"]),
        ("labels", ["labels"]),
    ]

    // MARK: Messages

    private static func conversation(_ messages: [ChatMessage]) throws(GatewayError) -> ([JSONValue], [JSONValue]) {
        var system: [JSONValue] = []
        var contents: [(role: String, parts: [JSONValue])] = []
        // Gemini answers function calls by name; remember each call id's name as the history goes.
        var callNames: [String: String] = [:]
        func append(_ role: String, _ parts: [JSONValue]) {
            guard !parts.isEmpty else { return }
            // Gemini wants alternating turns: consecutive messages of one role become one content.
            if contents.last?.role == role {
                contents[contents.count - 1].parts += parts
            } else {
                contents.append((role, parts))
            }
        }
        for (index, message) in messages.enumerated() {
            switch message.role {
            case .system, .developer:
                if !message.text.isEmpty { system.append(.object(["text": .string(message.text)])) }
            case .user:
                append("user", try parts(message.content, messageIndex: index))
            case .assistant:
                var parts = try self.parts(message.content, messageIndex: index)
                for call in message.toolCalls ?? [] {
                    callNames[call.id] = call.name
                    parts.append(try functionCall(call, messageIndex: index))
                }
                append("model", parts)
            case .tool:
                append("user", [try functionResponse(message, callNames: callNames, messageIndex: index)])
            default:
                throw GatewayError.invalid(
                    "messages",
                    "gemini: message \(index) has role '\(message.role)'; use system, user, assistant or tool"
                )
            }
        }
        return (system, contents.map { .object(["role": .string($0.role), "parts": .array($0.parts)]) })
    }

    private static func parts(_ content: ChatContent?, messageIndex: Int) throws(GatewayError) -> [JSONValue] {
        switch content {
        case nil: return []
        case .text(let text): return text.isEmpty ? [] : [.object(["text": .string(text)])]
        case .parts(let parts):
            var out: [JSONValue] = []
            for part in parts {
                switch part {
                case .text(let text): out.append(.object(["text": .string(text)]))
                case .imageURL(let url, _): out.append(try media(url: url, fallbackMIME: mimeType(forURL: url)))
                case .other(let raw): out.append(try otherPart(raw, messageIndex: messageIndex))
                }
            }
            return out
        }
    }

    // Audio and file parts, in OpenAI's shapes.
    private static func otherPart(_ raw: JSONValue, messageIndex: Int) throws(GatewayError) -> JSONValue {
        let type = raw["type"]?.stringValue ?? "?"
        if type == "input_audio", let data = raw["input_audio"]?["data"]?.stringValue {
            let format = raw["input_audio"]?["format"]?.stringValue ?? "wav"
            return .object(["inlineData": .object(["mimeType": .string("audio/\(format)"), "data": .string(data)])])
        }
        if type == "file", let file = raw["file"] {
            if let data = file["file_data"]?.stringValue {
                return try media(url: data, fallbackMIME: "application/pdf")
            }
            if let id = file["file_id"]?.stringValue {
                return try media(url: id, fallbackMIME: mimeType(forURL: file["filename"]?.stringValue ?? id))
            }
        }
        throw GatewayError.invalid(
            "messages", "gemini: message \(messageIndex) has a '\(type)' part, which Gemini does not accept")
    }

    // A `data:` URL becomes inline data; any other URL (a Files API or gs:// URI) a file reference.
    private static func media(url: String, fallbackMIME: String) throws(GatewayError) -> JSONValue {
        guard url.hasPrefix("data:") else {
            return .object(["fileData": .object(["mimeType": .string(fallbackMIME), "fileUri": .string(url)])])
        }
        let rest = url.dropFirst(5)
        guard let comma = rest.firstIndex(of: ","), rest[..<comma].hasSuffix(";base64") else {
            throw GatewayError.invalid("messages", "gemini: a data URL must be base64 (data:<type>;base64,<data>)")
        }
        let mime = String(rest[..<comma].dropLast(7))
        return .object([
            "inlineData": .object([
                "mimeType": .string(mime.isEmpty ? fallbackMIME : mime),
                "data": .string(String(rest[rest.index(after: comma)...])),
            ])
        ])
    }

    private static func mimeType(forURL url: String) -> String {
        let path = url.split(separator: "?").first.map(String.init)?.lowercased() ?? ""
        let types = [
            ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp", ".heic": "image/heic",
            ".pdf": "application/pdf", ".mp3": "audio/mp3", ".wav": "audio/wav", ".mp4": "video/mp4",
        ]
        return types.first { path.hasSuffix($0.key) }?.value ?? "image/jpeg"
    }

    private static func functionCall(_ call: ToolCall, messageIndex: Int) throws(GatewayError) -> JSONValue {
        let arguments = call.arguments.trimmingWhitespace()
        let args: JSONValue
        if arguments.isEmpty {
            args = .object([:])
        } else if let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(arguments.utf8)),
            parsed.objectValue != nil
        {
            args = parsed
        } else {
            throw GatewayError.invalid(
                "messages",
                "gemini: message \(messageIndex) calls '\(call.name)' with arguments that are not a JSON object"
            )
        }
        var part: [String: JSONValue] = ["functionCall": .object(["name": .string(call.name), "args": args])]
        if let signature = GeminiToolCallID.thoughtSignature(in: call.id) {
            part["thoughtSignature"] = .string(signature)
        }
        return .object(part)
    }

    private static func functionResponse(
        _ message: ChatMessage, callNames: [String: String], messageIndex: Int
    ) throws(GatewayError) -> JSONValue {
        guard let name = message.toolCallID.flatMap({ callNames[$0] }) ?? message.name else {
            throw GatewayError.invalid(
                "messages",
                "gemini: tool message \(messageIndex) answers call '\(message.toolCallID ?? "")', which no earlier assistant message made"
            )
        }
        let text = message.text
        // Gemini wants an object: a JSON object result goes as is, anything else under `content`.
        let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        let response: JSONValue =
            parsed?.objectValue != nil ? parsed ?? .null : .object(["content": parsed ?? .string(text)])
        return .object(["functionResponse": .object(["name": .string(name), "response": response])])
    }
}

extension GeminiRequestBody {
    // MARK: Generation settings and tools

    static func generationConfig(_ request: ChatRequest) -> [String: JSONValue]? {
        var config: [String: JSONValue] = [:]
        if let value = request.maxTokens { config["maxOutputTokens"] = .int(value) }
        if let value = request.temperature { config["temperature"] = .double(value) }
        if let value = request.topP { config["topP"] = .double(value) }
        if let value = request.stop, !value.isEmpty { config["stopSequences"] = .array(value.map(JSONValue.string)) }
        if let value = request.seed { config["seed"] = .int(value) }
        if let value = request.n { config["candidateCount"] = .int(value) }
        if let value = request.presencePenalty { config["presencePenalty"] = .double(value) }
        if let value = request.frequencyPenalty { config["frequencyPenalty"] = .double(value) }
        if let value = request.extra["top_k"] ?? request.extra["topK"] { config["topK"] = value }
        if let value = request.extra["thinkingConfig"] ?? request.extra["thinking_config"] {
            config["thinkingConfig"] = value
        }
        switch request.responseFormat {
        case .jsonObject:
            config["responseMimeType"] = .string("application/json")
        case .jsonSchema(_, let schema, _):
            config["responseMimeType"] = .string("application/json")
            config["responseSchema"] = sanitized(schema)
        case .text, nil:
            break
        }
        return config.isEmpty ? nil : config
    }

    static func declaration(_ tool: ChatTool) -> JSONValue {
        var function: [String: JSONValue] = ["name": .string(tool.name)]
        if let description = tool.description { function["description"] = .string(description) }
        if let parameters = tool.parameters { function["parameters"] = sanitized(parameters) }
        return .object(function)
    }

    static func toolConfig(_ choice: ToolChoice) -> JSONValue {
        let config: [String: JSONValue] =
            switch choice {
            case .none: ["mode": .string("NONE")]
            case .auto: ["mode": .string("AUTO")]
            case .required: ["mode": .string("ANY")]
            case .function(let name): ["mode": .string("ANY"), "allowedFunctionNames": .array([.string(name)])]
            }
        return .object(["functionCallingConfig": .object(config)])
    }

    // Gemini's schemas are an OpenAPI subset that rejects JSON Schema's `$schema` and
    // `additionalProperties` keywords, which OpenAI clients commonly send.
    static func sanitized(_ schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, value) in members where key != "$schema" && key != "additionalProperties" {
                // Under `properties` the keys are property names, not keywords: keep them all.
                if key == "properties", let properties = value.objectValue {
                    out[key] = .object(properties.mapValues(sanitized))
                } else {
                    out[key] = sanitized(value)
                }
            }
            return .object(out)
        case .array(let elements):
            return .array(elements.map(sanitized))
        default:
            return schema
        }
    }
}
