// The parts of Gemini's `GenerateContentResponse` the gateway reads. Unknown fields are ignored,
// and every field is optional because stream chunks carry only what changed.
enum GeminiWire {
    struct Response: Decodable {
        var candidates: [Candidate]?
        var usageMetadata: UsageMetadata?
        var modelVersion: String?
        var responseId: String?
        var promptFeedback: PromptFeedback?
        var error: JSONValue?
    }

    struct Candidate: Decodable {
        var content: Content?
        var finishReason: String?
        var index: Int?
    }

    struct Content: Decodable {
        var role: String?
        var parts: [Part]?
    }

    struct Part: Decodable {
        var text: String?
        var thought: Bool?
        var thoughtSignature: String?
        var functionCall: FunctionCall?
    }

    struct FunctionCall: Decodable {
        var id: String?
        var name: String
        var args: JSONValue?
    }

    struct UsageMetadata: Decodable {
        var promptTokenCount: Int?
        var candidatesTokenCount: Int?
        var totalTokenCount: Int?
        var cachedContentTokenCount: Int?
        var thoughtsTokenCount: Int?
        var toolUsePromptTokenCount: Int?
    }

    struct PromptFeedback: Decodable {
        var blockReason: String?
        var blockReasonMessage: String?
    }
}
