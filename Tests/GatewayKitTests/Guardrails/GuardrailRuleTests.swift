import Testing

@testable import GatewayKit

@Suite struct GuardrailRuleTests {
    static func error(_ rule: GuardrailRule) -> GatewayError? {
        do {
            try rule.validate()
            return nil
        } catch {
            return error
        }
    }

    @Test("a bad pattern is an invalidRequest naming the pattern field")
    func badRegex() {
        let error = Self.error(.test("r", .regex(pattern: "(unclosed")))
        #expect(error?.code == .invalidRequest)
        #expect(error?.field == "pattern")
        #expect(Self.error(.test("empty", .regex(pattern: "a*")))?.field == "pattern")
        #expect(Self.error(.test("ok", .regex(pattern: #"order-\d{4}"#))) == nil)
    }

    @Test("settings that cannot work are refused")
    func invalidSettings() {
        #expect(Self.error(.test("t", .blockedTerms([])))?.field == "terms")
        #expect(Self.error(.test("p", .pii(types: [])))?.field == "types")
        #expect(Self.error(.test("m", .maxInput(maxCharacters: nil, maxTokens: nil)))?.field == "max_chars")
        #expect(Self.error(.test("m", .maxInput(maxCharacters: 0, maxTokens: nil)))?.field == "max_chars")
        #expect(Self.error(.test("m", .maxInput(maxCharacters: 10, maxTokens: nil), stage: .output))?.field == "stage")
        #expect(
            Self.error(.test("m", .maxInput(maxCharacters: 10, maxTokens: nil), action: .redact))?.field == "action")
        #expect(
            Self.error(.test("j", .llmJudge(endpoint: "judge", policy: "no insults"), action: .redact))?.field
                == "action")
        #expect(Self.error(.test("j", .llmJudge(endpoint: "judge", policy: " ")))?.field == "policy")
        #expect(Self.error(.test(" ", .secrets))?.field == "name")
        #expect(Self.error(.test("s", .secrets, stage: .output, action: .redact)) == nil)
    }
}
