import GatewayKit
import Testing

@Suite struct SlugTests {
    @Test("generates a slug from a display name", arguments: [
        ("Production GPT-4o", "production-gpt-4o"),
        ("Café Crème  Bot", "cafe-creme-bot"),
        ("Ærø Straße", "aero-strasse"),
        ("  --Hello__World!!  ", "hello-world"),
        ("Señor 3000 🚀 fast", "senor-3000-fast"),
        ("日本語", "endpoint"),
    ])
    func generation(name: String, expected: String) {
        #expect(Endpoint.Slug.generate(from: name).rawValue == expected)
    }

    @Test("trims generated slugs to 63 characters without a trailing hyphen")
    func generationLength() {
        let slug = Endpoint.Slug.generate(from: String(repeating: "a", count: 62) + " bc")
        #expect(slug.rawValue.count <= 63)
        #expect(!slug.rawValue.hasSuffix("-"))
        #expect(Endpoint.Slug.problem(with: slug.rawValue) == nil)
    }

    @Test("accepts valid slugs", arguments: ["a", "prod-gpt4o", "a1-b2-c3", String(repeating: "x", count: 63)])
    func valid(text: String) throws {
        #expect(try Endpoint.Slug(validating: text).rawValue == text)
    }

    @Test("rejects invalid slugs naming the rule", arguments: [
        ("", "empty"),
        (String(repeating: "x", count: 64), "at most 63"),
        ("Prod", "lowercase"),
        ("prod_gpt", "only a-z, 0-9 and hyphens"),
        ("-prod", "start or end with a hyphen"),
        ("prod-", "start or end with a hyphen"),
        ("prod--gpt", "consecutive hyphens"),
        ("café", "only a-z"),
    ])
    func invalid(text: String, rule: String) {
        #expect {
            try Endpoint.Slug(validating: text)
        } throws: { error in
            guard let error = error as? GatewayError else { return false }
            return error.code == .invalidRequest && error.field == "slug" && error.message.contains(rule)
        }
    }
}
