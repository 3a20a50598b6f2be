extension Usage {
    /// Builds usage from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` where `init(from:)` might disagree or fail.
    package init(json: JSONValue) throws {
        let fields = try JSONObjectReader(json)
        let prompt = try fields.int("prompt_tokens") ?? 0
        let completion = try fields.int("completion_tokens") ?? 0
        let total = try fields.int("total_tokens")
        // The details are read with `try?` there: anything but an integer is absent.
        self.init(
            promptTokens: prompt, completionTokens: completion, totalTokens: total,
            cachedTokens: Self.detail(fields, "prompt_tokens_details", "cached_tokens"),
            reasoningTokens: Self.detail(fields, "completion_tokens_details", "reasoning_tokens")
        )
    }

    private static func detail(_ fields: JSONObjectReader, _ object: String, _ key: String) -> Int? {
        guard case .object(let details)? = fields.members[object], case .int(let value)? = details[key] else {
            return nil
        }
        return value
    }
}

extension FinishReason {
    /// Builds a finish reason from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` unless it is a string.
    package init(json: JSONValue) throws {
        self.init(rawValue: try json.decodedString())
    }
}
