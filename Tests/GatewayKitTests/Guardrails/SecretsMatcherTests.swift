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
