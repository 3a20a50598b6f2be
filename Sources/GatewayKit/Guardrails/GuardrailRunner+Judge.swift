#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension GuardrailRunner {
    /// Set while a judge is being asked, so the judge's own request is not judged again.
    @TaskLocal static var judging = false

    /// Asks the rule's judge endpoint whether `text` violates the policy; blocks on "yes".
    ///
    /// The judge must answer `yes` or `no` (case and trailing punctuation ignored), or JSON with a
    /// boolean `violates` or a `verdict` of "yes"/"no". A judge that fails or answers anything else
    /// blocks: a rule that cannot decide must not let the text through unchecked.
    func judge(_ rule: CompiledGuardrail, endpoint: Endpoint.Slug, policy: String, text: String) async throws {
        if Self.judging { return }
        let answer: String
        do {
            answer = try await Self.$judging.withValue(true) {
                try await ask(endpoint, Self.judgeRequest(policy: policy, text: text))
            }
        } catch {
            let code = (error as? GatewayError)?.code.rawValue ?? "internal"
            throw rule.blocked(
                "its judge endpoint '\(endpoint)' failed (\(code)), and an unjudged text is not let through")
        }
        switch Self.verdict(answer) {
        case true?: throw rule.blocked("its judge found that the text violates the policy")
        case false?: return
        case nil: throw rule.blocked("its judge endpoint '\(endpoint)' gave no yes/no verdict")
        }
    }

    static let judgeInstructions = """
        You are a content-policy judge. You are given a policy and a text. Decide whether the text \
        violates the policy. Answer with exactly one word: "yes" if it violates the policy, "no" if it does not.
        """

    static func judgeRequest(policy: String, text: String) -> ChatRequest {
        let prompt =
            "Policy:\n\(policy)\n\nText:\n<<<\n\(text)\n>>>\n\nDoes the text violate the policy? Answer yes or no."
        return ChatRequest(messages: [.system(judgeInstructions), .user(prompt)], maxTokens: 16, temperature: 0)
    }

    /// `true` for a violation, `false` for none, `nil` when the answer is not a verdict.
    static func verdict(_ answer: String) -> Bool? {
        let trimmed = answer.trimmingWhitespace()
        if trimmed.hasPrefix("{"), let value = try? JSONDecoder().decode(JSONValue.self, from: Data(trimmed.utf8)) {
            if case .bool(let violates)? = value["violates"] { return violates }
            return value["verdict"]?.stringValue.flatMap(word)
        }
        return word(trimmed)
    }

    private static func word(_ text: String) -> Bool? {
        let word = text.lowercased().filter { $0.isLetter }
        switch word {
        case "yes": return true
        case "no": return false
        default: return nil
        }
    }
}
