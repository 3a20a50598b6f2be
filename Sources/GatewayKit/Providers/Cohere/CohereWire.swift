// The Cohere v2 chat response shapes GatewayKit reads; unknown fields are ignored. Token counts
// are typed as numbers that may be written with a fraction (the SDK declares them as floats).

struct CohereWireResponse: Decodable {
    var id: String?
    var finishReason: String?
    var message: CohereWireMessage?
    var usage: CohereWireUsage?

    enum CodingKeys: String, CodingKey {
        case id, message, usage
        case finishReason = "finish_reason"
    }
}

struct CohereWireMessage: Decodable {
    var content: [CohereWireContent]?
    var toolPlan: String?
    var toolCalls: [CohereWireToolCall]?

    enum CodingKeys: String, CodingKey {
        case content
        case toolPlan = "tool_plan"
        case toolCalls = "tool_calls"
    }
}

struct CohereWireContent: Decodable {
    var type: String?
    var text: String?
}

struct CohereWireToolCall: Decodable {
    struct Function: Decodable {
        var name: String?
        var arguments: String?
    }

    var id: String?
    var function: Function?
}

struct CohereWireUsage: Decodable {
    struct Tokens: Decodable {
        var inputTokens: Double?
        var outputTokens: Double?

        enum CodingKeys: String, CodingKey {
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
        }
    }

    var billedUnits: Tokens?
    var tokens: Tokens?
    var cachedTokens: Double?

    enum CodingKeys: String, CodingKey {
        case tokens
        case billedUnits = "billed_units"
        case cachedTokens = "cached_tokens"
    }
}

/// `{"message": "..."}`, the body of every Cohere error response.
struct CohereWireErrorBody: Decodable {
    var message: String?
}

/// One `data:` payload of the v2 chat stream. `delta.message` changes shape by event type
/// (`content` is an array in `message-start` and an object in `content-delta`), so it is read as
/// JSON.
struct CohereWireEvent: Decodable {
    struct Delta: Decodable {
        var message: JSONValue?
        var finishReason: String?
        var usage: CohereWireUsage?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case message, usage, error
            case finishReason = "finish_reason"
        }
    }

    var type: String?
    var id: String?
    var index: Int?
    var delta: Delta?
}
