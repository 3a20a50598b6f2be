extension ChatResponse {
    /// Builds a response from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` where `init(from:)` might disagree or fail.
    package init(json: JSONValue) throws {
        let fields = try JSONObjectReader(json)
        guard let choices = try fields.array("choices") else { throw JSONObjectReader.missing("choices") }
        self.init(
            id: try fields.string("id") ?? "",
            created: try fields.int("created") ?? 0,
            model: try fields.string("model") ?? "",
            choices: try choices.map { try Choice(json: $0) },
            usage: try fields.value("usage").map { try Usage(json: $0) }
        )
    }
}

extension ChatResponse.Choice {
    /// Builds a choice from parsed JSON, giving exactly what the synthesized `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` where `init(from:)` might disagree or fail.
    package init(json: JSONValue) throws {
        let fields = try JSONObjectReader(json)
        guard let index = try fields.int("index") else { throw JSONObjectReader.missing("index") }
        guard let message = fields.value("message") else { throw JSONObjectReader.missing("message") }
        self.init(
            index: index, message: try ChatMessage(json: message),
            finishReason: try fields.value("finish_reason").map { try FinishReason(json: $0) }
        )
    }
}
