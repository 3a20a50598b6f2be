// The JSONWriter forms of the message-level chat types. Each writes its keys in sorted UTF-8 order
// and mirrors its `encode(to:)` exactly; the tests compare both over many values.

extension ChatMessage: JSONWritable {
    package func write(to writer: inout JSONWriter) throws(GatewayError) {
        writer.beginObject()
        writer.key("content")
        if let content {
            try content.write(to: &writer)
        } else {
            writer.null()
        }
        if let name {
            writer.key("name")
            writer.string(name)
        }
        if let refusal {
            writer.key("refusal")
            writer.string(refusal)
        }
        writer.key("role")
        writer.string(role.rawValue)
        if let toolCallID {
            writer.key("tool_call_id")
            writer.string(toolCallID)
        }
        if let toolCalls, !toolCalls.isEmpty {
            writer.key("tool_calls")
            writer.beginArray()
            for call in toolCalls { call.write(to: &writer) }
            writer.endArray()
        }
        writer.endObject()
    }

    package var estimatedJSONSize: Int {
        var size = 64 + (content?.estimatedJSONSize ?? 0)
        for call in toolCalls ?? [] { size += 64 + call.arguments.utf8.count }
        return size
    }
}

extension ChatContent {
    func write(to writer: inout JSONWriter) throws(GatewayError) {
        switch self {
        case .text(let text):
            writer.string(text)
        case .parts(let parts):
            writer.beginArray()
            for part in parts { try part.write(to: &writer) }
            writer.endArray()
        }
    }

    var estimatedJSONSize: Int {
        switch self {
        case .text(let text): text.utf8.count + 8
        case .parts(let parts): parts.reduce(2) { $0 + 48 + $1.textSize }
        }
    }
}

extension ContentPart {
    func write(to writer: inout JSONWriter) throws(GatewayError) {
        switch self {
        case .text(let text):
            writer.beginObject()
            writer.key("text")
            writer.string(text)
            writer.key("type")
            writer.string("text")
            writer.endObject()
        case .imageURL(let url, let detail):
            writer.beginObject()
            writer.key("image_url")
            writer.beginObject()
            if let detail {
                writer.key("detail")
                writer.string(detail)
            }
            writer.key("url")
            writer.string(url)
            writer.endObject()
            writer.key("type")
            writer.string("image_url")
            writer.endObject()
        case .other(let raw):
            try writer.value(raw)
        }
    }

    // The bulk of a part: its text or URL (data: URLs can be large).
    var textSize: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .imageURL(let url, _): url.utf8.count
        case .other: 128
        }
    }
}

extension ToolCall {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("function")
        writer.beginObject()
        writer.key("arguments")
        writer.string(arguments)
        writer.key("name")
        writer.string(name)
        writer.endObject()
        writer.key("id")
        writer.string(id)
        writer.key("type")
        writer.string("function")
        writer.endObject()
    }
}

extension ChatTool {
    func write(to writer: inout JSONWriter) throws(GatewayError) {
        writer.beginObject()
        writer.key("function")
        writer.beginObject()
        if let description {
            writer.key("description")
            writer.string(description)
        }
        writer.key("name")
        writer.string(name)
        if let parameters {
            writer.key("parameters")
            try writer.value(parameters)
        }
        if let strict {
            writer.key("strict")
            writer.bool(strict)
        }
        writer.endObject()
        writer.key("type")
        writer.string("function")
        writer.endObject()
    }
}

extension ToolChoice {
    func write(to writer: inout JSONWriter) {
        switch self {
        case .none: writer.string("none")
        case .auto: writer.string("auto")
        case .required: writer.string("required")
        case .function(let name):
            writer.beginObject()
            writer.key("function")
            writer.beginObject()
            writer.key("name")
            writer.string(name)
            writer.endObject()
            writer.key("type")
            writer.string("function")
            writer.endObject()
        }
    }
}

extension ResponseFormat {
    func write(to writer: inout JSONWriter) throws(GatewayError) {
        writer.beginObject()
        switch self {
        case .text:
            writer.key("type")
            writer.string("text")
        case .jsonObject:
            writer.key("type")
            writer.string("json_object")
        case .jsonSchema(let name, let schema, let strict):
            writer.key("json_schema")
            writer.beginObject()
            writer.key("name")
            writer.string(name)
            writer.key("schema")
            try writer.value(schema)
            if let strict {
                writer.key("strict")
                writer.bool(strict)
            }
            writer.endObject()
            writer.key("type")
            writer.string("json_schema")
        }
        writer.endObject()
    }
}
