import Testing

@testable import GatewayKit

@Suite struct SecretsMatcherTests {
    // Made-up credentials of the right shapes; none is real.
    static let openAI = "sk-proj-" + String(repeating: "a1B2", count: 10)
    static let anthropic = "sk-ant-api03-" + String(repeating: "Zy9_", count: 8)
    static let aws = "AKIA" + "IOSFODNN7EXAMPLE"
    static let awsSession = "ASIA" + "ABCDEFGHIJ234567"
    static let github = "ghp_" + String(repeating: "x7Y", count: 12)
    static let google = "AIza" + String(repeating: "Sy-_q", count: 7)
    static let pem =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn\n/ygWyF8PbnGy\n-----END RSA PRIVATE KEY-----"

    static func found(_ text: String) -> [String] {
        SecretsMatcher().matches(in: text).map { String(text[$0.range]) }
    }

    @Test(
        "each credential shape is found inside text",
        arguments: [openAI, anthropic, aws, awsSession, github, google, pem])
    func shapes(secret: String) {
        #expect(Self.found("token: \(secret) end") == [secret])
    }

    @Test("near misses are not credentials")
    func nearMisses() {
        #expect(Self.found("ask-me-anything and sk-short and AKIA123 and ghp_tooShort") == [])
        #expect(Self.found("task-" + String(repeating: "a", count: 30)) == [])
        #expect(Self.found("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----") == [])
    }
}

@Suite struct TermMatcherTests {
    @Test("terms match case-insensitively as whole words only")
    func wholeWords() throws {
        let matcher = try #require(try TermMatcher(terms: ["cat", "New York", "c++"]))
        let text = "A CAT in new york; concat, cats and catalog are fine; so is C++."
        #expect(matcher.matches(in: text).map { String(text[$0.range]) } == ["CAT", "new york", "C++"])
    }

    @Test("an empty term list compiles to nothing")
    func empty() throws {
        #expect(try TermMatcher(terms: ["  ", ""]) == nil)
    }
}

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
