/// Applies output guardrails to a streamed answer, one ``StreamRedactor`` per choice.
///
/// With only pattern rules, text streams on at once except the held tail. When a judge or an
/// in-process guardrail applies, which need the whole answer, each choice's text is held until the
/// choice finishes and then checked like a complete answer.
struct OutputStreamGuard {
    let rules: [CompiledGuardrail]
    let runner: GuardrailRunner
    private let holdsWholeText: Bool
    private var redactors: [Int: StreamRedactor] = [:]
    private var heldTexts: [Int: String] = [:]
    private var template: ChatChunk?

    init(rules: [CompiledGuardrail], runner: GuardrailRunner) {
        self.rules = rules
        self.runner = runner
        self.holdsWholeText = rules.contains(where: \.needsWholeText)
    }

    /// Rewrites the content of `chunks`; a choice's last chunk carries everything still held for it.
    /// - Throws: `guardrailBlocked` when a rule blocks the answer.
    mutating func filter(_ chunks: [ChatChunk]) async throws -> [ChatChunk] {
        var chunks = chunks
        for chunkIndex in chunks.indices {
            for choiceIndex in chunks[chunkIndex].choices.indices {
                var choice = chunks[chunkIndex].choices[choiceIndex]
                var text = try await take(choice.delta.content ?? "", for: choice.index)
                if choice.finishReason != nil { text += try await finish(choice.index) }
                if choice.delta.content != nil || !text.isEmpty { choice.delta.content = text }
                chunks[chunkIndex].choices[choiceIndex] = choice
            }
            template = chunks[chunkIndex]
        }
        return chunks
    }

    /// The text still held when the stream ends without finishing every choice, as one last chunk.
    mutating func finishAll() async throws -> ChatChunk? {
        guard var last = template else { return nil }
        var choices: [ChatChunk.Choice] = []
        for index in Set(redactors.keys).union(heldTexts.keys).sorted() {
            let text = try await finish(index)
            if !text.isEmpty { choices.append(.init(index: index, delta: .init(content: text))) }
        }
        guard !choices.isEmpty else { return nil }
        last.choices = choices
        last.usage = nil
        last.servedBy = nil
        return last
    }

    private mutating func take(_ text: String, for index: Int) async throws -> String {
        if holdsWholeText {
            heldTexts[index, default: ""] += text
            return ""
        }
        var redactor = redactors.removeValue(forKey: index) ?? StreamRedactor(rules: rules)
        let out = try redactor.feed(text)
        redactors[index] = redactor
        return out
    }

    private mutating func finish(_ index: Int) async throws -> String {
        if holdsWholeText {
            guard let text = heldTexts.removeValue(forKey: index), !text.isEmpty else { return "" }
            var texts = [text]
            try await runner.run(rules, on: &texts)
            return texts[0]
        }
        guard var redactor = redactors.removeValue(forKey: index) else { return "" }
        return try redactor.finish()
    }
}
