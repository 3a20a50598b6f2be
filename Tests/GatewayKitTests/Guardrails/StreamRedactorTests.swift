import Testing

@testable import GatewayKit

@Suite struct StreamRedactorTests {
    static func rules(_ kinds: [GuardrailRule.Kind], action: GuardrailRule.Action = .redact) throws
        -> [CompiledGuardrail]
    {
        try kinds.enumerated().map { index, kind in
            try GuardrailRule.test("rule\(index)", kind, stage: .output, action: action, order: index).compile()
        }
    }

    /// Streams `pieces` through a redactor and returns what it emitted, piece by piece.
    static func stream(_ pieces: [String], rules: [CompiledGuardrail]) throws -> [String] {
        var redactor = StreamRedactor(rules: rules)
        var out = try pieces.map { try redactor.feed($0) }
        out.append(try redactor.finish())
        return out
    }

    static func complete(_ text: String, rules: [CompiledGuardrail]) async throws -> String {
        var texts = [text]
        try await GuardrailRunner { _, _ in "" }.run(rules, on: &texts)
        return texts[0]
    }

    static let samples: [(GuardrailRule.Kind, String)] = [
        (.secrets, "here: \(SecretsMatcherTests.openAI) ok"),
        (.secrets, "key \(SecretsMatcherTests.aws)."),
        (.secrets, "k=\(SecretsMatcherTests.github)\n"),
        (.secrets, "g \(SecretsMatcherTests.google) x"),
        (.secrets, "pem:\n\(SecretsMatcherTests.pem)\nafter"),
        (.pii(types: [.email]), "mail jane.doe@example.com now"),
        (.pii(types: [.card]), "card 4111 1111 1111 1111 exp"),
        (.pii(types: [.iban]), "iban DE89 3704 0044 0532 0130 00 thanks"),
        (.pii(types: [.phone, .ip]), "call +44 20 7946 0958 from 10.0.0.1 ok"),
        (.blockedTerms(["secret plan"]), "the Secret Plan is on"),
        (.regex(pattern: #"order-\d{4}"#), "see order-1234 today"),
    ]

    @Test("a match split in two at every offset is redacted as in the complete text", arguments: samples.indices)
    func everySplit(sample: Int) async throws {
        let (kind, text) = Self.samples[sample]
        let rules = try Self.rules([kind])
        let expected = try await Self.complete(text, rules: rules)
        #expect(expected.contains("[REDACTED:"))
        for offset in 0...text.count {
            let split = text.index(text.startIndex, offsetBy: offset)
            let out = try Self.stream([String(text[..<split]), String(text[split...])], rules: rules)
            #expect(out.joined() == expected, "split at \(offset)")
        }
    }

    @Test("one character per chunk gives the same redaction", arguments: samples.indices)
    func characterByCharacter(sample: Int) async throws {
        let (kind, text) = Self.samples[sample]
        let rules = try Self.rules([kind])
        let out = try Self.stream(text.map { String($0) }, rules: rules)
        #expect(out.joined() == (try await Self.complete(text, rules: rules)))
    }

    @Test("text that cannot start a match streams on at once")
    func noDelay() throws {
        let rules = try Self.rules([.secrets, .pii(types: [.email, .card])])
        let out = try Self.stream(["Hello there, ", "how are you? ", "Fine."], rules: rules)
        #expect(out[0] == "Hello there, ")
        #expect(out[1] == "how are you? ")
        #expect(out.joined() == "Hello there, how are you? Fine.")
    }

    @Test("only the tail that could still start a match is held back")
    func holdsOnlyTheTail() throws {
        let rules = try Self.rules([.secrets])
        var redactor = StreamRedactor(rules: rules)
        #expect(try redactor.feed("The key is sk-pro") == "The key is ")
        #expect(
            try redactor.feed("j-" + String(repeating: "a1B2", count: 10) + " and more")
                == "[REDACTED:secrets] and more")
        #expect(try redactor.finish() == "")
    }

    @Test("a block throws before the matched text is emitted, at every split")
    func blockAcrossChunks() throws {
        let rules = try Self.rules([.secrets], action: .block)
        let text = "leak \(SecretsMatcherTests.anthropic) done"
        let secretStart = text.firstRange(of: "sk-ant")?.lowerBound ?? text.endIndex
        for offset in 0...text.count {
            let split = text.index(text.startIndex, offsetBy: offset)
            var emitted = ""
            var redactor = StreamRedactor(rules: rules)
            do {
                emitted += try redactor.feed(String(text[..<split]))
                emitted += try redactor.feed(String(text[split...]))
                emitted += try redactor.finish()
                Issue.record("no block at split \(offset)")
            } catch {
                #expect(error.code == .guardrailBlocked)
                #expect(error.message.contains("'rule0'"))
            }
            #expect(emitted.count <= text.distance(from: text.startIndex, to: secretStart), "split at \(offset)")
        }
    }
}

extension StreamRedactorTests {
    @Test("every rule together, cut into random chunks, gives the complete text's redaction")
    func randomChunks() async throws {
        let rules = try Self.rules([
            .secrets, .pii(types: GuardrailRule.PIIType.allCases), .blockedTerms(["secret plan"]),
            .regex(pattern: #"order-\d{4}"#),
        ])
        let text = Self.samples.map(\.1).joined(separator: " | ") + " tail"
        let expected = try await Self.complete(text, rules: rules)
        var generator = SplitMix64(seed: 42)
        for round in 0..<60 {
            var pieces: [String] = []
            var rest = Substring(text)
            while !rest.isEmpty {
                let length = Int.random(in: 1...12, using: &generator)
                pieces.append(String(rest.prefix(length)))
                rest = rest.dropFirst(length)
            }
            #expect(try Self.stream(pieces, rules: rules).joined() == expected, "round \(round)")
        }
    }
}
