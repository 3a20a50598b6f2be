// The Anthropic Messages wire shapes GatewayKit reads. Only the fields the gateway uses are
// declared; unknown fields are ignored, as the API adds them over time.

struct AnthropicWireMessage: Decodable {
    var id: String?
    var model: String?
    var content: [AnthropicWireBlock]?
    var stopReason: String?
    var usage: AnthropicWireUsage?

    enum CodingKeys: String, CodingKey {
        case id, model, content, usage
        case stopReason = "stop_reason"
    }
}

struct AnthropicWireBlock: Decodable {
    var type: String
    var text: String?
    var id: String?
    var name: String?
    var input: JSONValue?
}

struct AnthropicWireUsage: Decodable {
    var inputTokens: Int?
    var outputTokens: Int?
    var cacheCreationInputTokens: Int?
    var cacheReadInputTokens: Int?

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case cacheCreationInputTokens = "cache_creation_input_tokens"
        case cacheReadInputTokens = "cache_read_input_tokens"
    }
}

/// One `data:` payload of the stream; its `type` equals the SSE event name.
struct AnthropicWireEvent: Decodable {
    var type: String
    var message: AnthropicWireMessage?
    var index: Int?
    var contentBlock: AnthropicWireBlock?
    var delta: AnthropicWireDelta?
    var usage: AnthropicWireUsage?
    var error: AnthropicWireError?

    enum CodingKeys: String, CodingKey {
        case type, message, index, delta, usage, error
        case contentBlock = "content_block"
    }
}

/// The `delta` of `content_block_delta` (`text_delta`, `input_json_delta`, …) and of
/// `message_delta` (`stop_reason`).
struct AnthropicWireDelta: Decodable {
    var type: String?
    var text: String?
    var partialJSON: String?
    var stopReason: String?

    enum CodingKeys: String, CodingKey {
        case type, text
        case partialJSON = "partial_json"
        case stopReason = "stop_reason"
    }
}

/// `{"type":"error","error":{"type","message","details":{"error_code"}}}`.
struct AnthropicWireErrorBody: Decodable {
    var error: AnthropicWireError?
}

struct AnthropicWireError: Decodable {
    struct Details: Decodable {
        var errorCode: String?

        enum CodingKeys: String, CodingKey {
            case errorCode = "error_code"
        }
    }

    var type: String?
    var message: String?
    var details: Details?
}
