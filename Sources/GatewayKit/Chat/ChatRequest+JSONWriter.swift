// The wire form of a request through JSONWriter: the same bytes as `encode(to:maxTokensField:)`
// under JSONEncoder with sorted keys, plus host-specific overrides that replace any field of the
// same name.

extension ChatRequest: JSONWritable {
    /// The modelled top-level fields in the sorted order of their keys (`max_completion_tokens` and
    /// `max_tokens` both sort between `frequency_penalty` and `messages`).
    private enum WireField: CaseIterable {
        case frequencyPenalty, tokenLimit, messages, model, n, parallelToolCalls, presencePenalty
        case responseFormat, seed, stop, stream, streamOptions, temperature, toolChoice, tools, topP, user

        // Built once: a synthesized `allCases` may allocate its array on every call.
        static let order = allCases

        func key(_ tokenLimitField: MaxTokensField) -> String {
            switch self {
            case .frequencyPenalty: "frequency_penalty"
            case .tokenLimit: tokenLimitField == .maxCompletionTokens ? "max_completion_tokens" : "max_tokens"
            case .messages: "messages"
            case .model: "model"
            case .n: "n"
            case .parallelToolCalls: "parallel_tool_calls"
            case .presencePenalty: "presence_penalty"
            case .responseFormat: "response_format"
            case .seed: "seed"
            case .stop: "stop"
            case .stream: "stream"
            case .streamOptions: "stream_options"
            case .temperature: "temperature"
            case .toolChoice: "tool_choice"
            case .tools: "tools"
            case .topP: "top_p"
            case .user: "user"
            }
        }
    }

    package func write(to writer: inout JSONWriter) throws(GatewayError) {
        try write(to: &writer, maxTokensField: .maxTokens)
    }

    /// Writes the OpenAI wire form: extras that no modelled field shadows, the modelled fields, and
    /// `overrides`, which replace a modelled field or extra of the same name; all in sorted key order.
    /// - Throws: `GatewayError` `invalidRequest` for a non-finite number.
    func write(
        to writer: inout JSONWriter, maxTokensField: MaxTokensField, overrides: [String: JSONValue] = [:]
    ) throws(GatewayError) {
        var dynamic: [(key: String, value: JSONValue)] = []
        if !extra.isEmpty || !overrides.isEmpty {
            dynamic.reserveCapacity(extra.count + overrides.count)
            for member in extra where !Self.knownKeys.contains(member.key) && overrides[member.key] == nil {
                dynamic.append(member)
            }
            for member in overrides { dynamic.append(member) }
            dynamic.sort { JSONWriter.keyPrecedes($0.key, $1.key) }
        }
        writer.beginObject()
        var next = dynamic.startIndex
        for field in WireField.order {
            guard isSet(field) else { continue }
            if dynamic.isEmpty {
                try write(field, maxTokensField, to: &writer)
                continue
            }
            let key = field.key(maxTokensField)
            while next < dynamic.endIndex, JSONWriter.keyPrecedes(dynamic[next].key, key) {
                writer.key(dynamic[next].key)
                try writer.value(dynamic[next].value)
                next += 1
            }
            if overrides[key] == nil { try write(field, maxTokensField, to: &writer) }
        }
        for member in dynamic[next...] {
            writer.key(member.key)
            try writer.value(member.value)
        }
        writer.endObject()
    }

    package var estimatedJSONSize: Int {
        var size = 256
        for message in messages { size += message.estimatedJSONSize }
        for tool in tools ?? [] { size += 256 + (tool.description?.utf8.count ?? 0) }
        return size + extra.count * 64
    }

    private func isSet(_ field: WireField) -> Bool {
        switch field {
        case .frequencyPenalty: frequencyPenalty != nil
        case .tokenLimit: maxTokens != nil
        case .messages: true
        case .model: model != nil
        case .n: n != nil
        case .parallelToolCalls: parallelToolCalls != nil
        case .presencePenalty: presencePenalty != nil
        case .responseFormat: responseFormat != nil
        case .seed: seed != nil
        case .stop: stop != nil
        case .stream: stream
        case .streamOptions: stream && includeUsage != nil
        case .temperature: temperature != nil
        case .toolChoice: toolChoice != nil
        case .tools: tools?.isEmpty == false
        case .topP: topP != nil
        case .user: user != nil
        }
    }

    // Writes a field `isSet` said is present; the optional bindings cannot fail then.
    private func write(
        _ field: WireField, _ tokenLimitField: MaxTokensField, to writer: inout JSONWriter
    ) throws(GatewayError) {
        switch field {
        case .frequencyPenalty: try number(frequencyPenalty, "frequency_penalty", &writer)
        case .tokenLimit:
            writer.key(tokenLimitField == .maxCompletionTokens ? "max_completion_tokens" : "max_tokens")
            writer.int(maxTokens ?? 0)
        case .messages:
            writer.key("messages")
            writer.beginArray()
            for message in messages { try message.write(to: &writer) }
            writer.endArray()
        case .model: text(model, "model", &writer)
        case .n: integer(n, "n", &writer)
        case .parallelToolCalls:
            writer.key("parallel_tool_calls")
            writer.bool(parallelToolCalls ?? false)
        case .presencePenalty: try number(presencePenalty, "presence_penalty", &writer)
        case .responseFormat:
            writer.key("response_format")
            try responseFormat?.write(to: &writer)
        case .seed: integer(seed, "seed", &writer)
        case .stop:
            writer.key("stop")
            writer.beginArray()
            for sequence in stop ?? [] { writer.string(sequence) }
            writer.endArray()
        case .stream:
            writer.key("stream")
            writer.bool(true)
        case .streamOptions:
            writer.key("stream_options")
            writer.beginObject()
            writer.key("include_usage")
            writer.bool(includeUsage ?? false)
            writer.endObject()
        case .temperature: try number(temperature, "temperature", &writer)
        case .toolChoice:
            writer.key("tool_choice")
            toolChoice?.write(to: &writer)
        case .tools:
            writer.key("tools")
            writer.beginArray()
            for tool in tools ?? [] { try tool.write(to: &writer) }
            writer.endArray()
        case .topP: try number(topP, "top_p", &writer)
        case .user: text(user, "user", &writer)
        }
    }

    private func number(_ value: Double?, _ key: StaticString, _ writer: inout JSONWriter) throws(GatewayError) {
        writer.key(key)
        try writer.double(value ?? 0)
    }

    private func integer(_ value: Int?, _ key: StaticString, _ writer: inout JSONWriter) {
        writer.key(key)
        writer.int(value ?? 0)
    }

    private func text(_ value: String?, _ key: StaticString, _ writer: inout JSONWriter) {
        writer.key(key)
        writer.string(value ?? "")
    }
}
