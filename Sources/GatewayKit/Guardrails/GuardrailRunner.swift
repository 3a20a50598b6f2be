/// Runs guardrails over a list of texts (a request's message texts, or an answer's choices).
///
/// Pattern rules and size limits look at the texts as they arrived, in rule order: the first rule
/// that blocks decides, and every redaction is applied together. Judges and in-process guardrails
/// then run in rule order on the redacted texts.
struct GuardrailRunner: Sendable {
    /// Asks a judge endpoint; returns the answer's text.
    typealias Ask = @Sendable (_ endpoint: Endpoint.Slug, _ request: ChatRequest) async throws -> String

    let ask: Ask

    func run(_ rules: [CompiledGuardrail], on texts: inout [String]) async throws {
        var found = Array(repeating: [TextMatch](), count: texts.count)
        for rule in rules {
            switch rule.check {
            case .maxInput(let characters, let tokens):
                try Self.checkSize(texts, characters: characters, tokens: tokens, rule: rule)
            case .pattern(let matcher):
                for index in texts.indices {
                    let matches = matcher.matches(in: texts[index])
                    guard let first = matches.first else { continue }
                    if rule.action == .block { throw rule.blocked("it contains \(Self.describe(first.label))") }
                    found[index] += matches
                }
            case .broken(let reason):
                throw rule.blocked(reason)
            case .judge, .inProcess:
                continue
            }
        }
        for index in texts.indices where !found[index].isEmpty {
            texts[index] = Self.redact(texts[index][...], found[index])
        }
        for rule in rules {
            switch rule.check {
            case .judge(let endpoint, let policy):
                try await judge(rule, endpoint: endpoint, policy: policy, text: texts.joined(separator: "\n\n"))
            case .inProcess(let guardrail):
                for index in texts.indices {
                    texts[index] = try await Self.inspect(guardrail, texts[index], rule: rule)
                }
            case .pattern, .maxInput, .broken:
                continue
            }
        }
    }

    static func checkSize(_ texts: [String], characters: Int?, tokens: Int?, rule: CompiledGuardrail) throws {
        let count = texts.reduce(0) { $0 + $1.count }
        if let characters, count > characters {
            throw rule.blocked("the input has \(count) characters; the limit is \(characters)")
        }
        // About four characters per token, rounded up.
        let estimated = (count + 3) / 4
        if let tokens, estimated > tokens {
            throw rule.blocked("the input has about \(estimated) tokens; the limit is \(tokens)")
        }
    }

    static func inspect(_ guardrail: any Guardrail, _ text: String, rule: CompiledGuardrail) async throws -> String {
        let verdict: GuardrailVerdict
        do {
            verdict = try await guardrail.inspect(text)
        } catch {
            throw rule.blocked("the guardrail failed, so the text was not let through unchecked")
        }
        switch verdict {
        case .allow: return text
        case .redact(let replacement): return replacement
        case .block(let reason): throw rule.blocked(reason)
        }
    }

    static func describe(_ label: String) -> String {
        switch label {
        case "blocked_terms": "a blocked term"
        case "regex": "text matching its pattern"
        case "secrets": "a credential"
        default: "personal data (\(label))"
        }
    }

    /// Replaces each match with `[REDACTED:<label>]`; overlapping matches become one placeholder.
    static func redact(_ text: Substring, _ matches: [TextMatch]) -> String {
        let sorted = matches.sorted { $0.range.lowerBound < $1.range.lowerBound }
        var out = ""
        var position = text.startIndex
        var index = 0
        while index < sorted.count {
            let start = max(sorted[index].range.lowerBound, position)
            var end = sorted[index].range.upperBound
            let label = sorted[index].label
            index += 1
            while index < sorted.count, sorted[index].range.lowerBound < end {
                end = max(end, sorted[index].range.upperBound)
                index += 1
            }
            guard end > position else { continue }
            out += text[position..<start]
            out += "[REDACTED:\(label)]"
            position = end
        }
        out += text[position...]
        return out
    }
}
