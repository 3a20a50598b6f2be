extension ChatMessage {
    /// Builds a message from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` where `init(from:)` might disagree or fail.
    package init(json: JSONValue) throws {
        let fields = try JSONObjectReader(json)
        guard let role = fields.value("role") else { throw JSONObjectReader.missing("role") }
        self.init(
            role: Role(rawValue: try role.decodedString()),
            content: try fields.value("content").map { try ChatContent(json: $0) },
            name: try fields.string("name"),
            toolCalls: try fields.array("tool_calls")?.map { try ToolCall(json: $0) },
            toolCallID: try fields.string("tool_call_id"),
            refusal: try fields.string("refusal")
        )
    }
}

extension ChatContent {
    /// Builds content from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` unless it is a string or an array.
    package init(json: JSONValue) throws {
        switch json {
        case .string(let text): self = .text(text)
        case .array(let parts): self = .parts(parts.map { ContentPart(json: $0) })
        default: throw JSONObjectReader.mismatch("a string or an array of parts")
        }
    }
}

extension ContentPart {
    /// Builds a part from parsed JSON, giving exactly what `init(from:)` gives (it accepts any value).
    package init(json raw: JSONValue) {
        switch raw["type"]?.stringValue {
        case "text":
            self = .text(raw["text"]?.stringValue ?? "")
        case "image_url":
            let image = raw["image_url"]
            let url = image?["url"]?.stringValue ?? image?.stringValue ?? ""
            self = .imageURL(url: url, detail: image?["detail"]?.stringValue)
        default:
            self = .other(raw)
        }
    }
}

extension ToolCall {
    /// Builds a tool call from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` where `init(from:)` might disagree or fail.
    package init(json: JSONValue) throws {
        let fields = try JSONObjectReader(json)
        let function = try JSONObjectReader(required: "function", in: fields)
        self.init(
            id: try fields.string("id") ?? "",
            name: try function.requiredString("name"),
            arguments: try function.string("arguments") ?? ""
        )
    }
}
