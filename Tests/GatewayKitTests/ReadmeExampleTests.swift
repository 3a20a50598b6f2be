import GatewayKit
import Testing

import Foundation

/// The README's in-process example, verbatim between the markers; a test checks the README still
/// shows exactly this code, so the README never drifts from code that compiles and runs.
func readmeExample() async throws -> (text: String, streamed: String, servedBy: String) {
    // README-EXAMPLE-BEGIN
    let gateway = try await Gateway(store: InMemoryGatewayStore(), masterKey: "a-master-key-of-at-least-32-characters")
    let admin = Caller(role: .admin)

    // An upstream account; the secret is sealed and never shown again (keys are not needed by `mock`).
    let key = try await gateway.keys.create(.init(name: "OpenAI prod", provider: .openai, secret: "sk-example"), by: admin)
    try await gateway.endpoints.create(.init(name: "Production GPT-4o", model: "openai/gpt-4o", apiKeyID: key.id), by: admin)

    // Two endpoints on the in-process mock provider: the first fails with HTTP 503 and falls back.
    try await gateway.endpoints.create(.init(name: "Backup", model: "mock/echo"), by: admin)
    try await gateway.endpoints.create(
        .init(name: "Primary", model: "mock/error:503", rateLimitRPM: 600, fallbacks: ["backup"]), by: admin)

    let reply = try await gateway.router.complete(slug: "primary", request: .init(messages: [.user("Hello")]), as: admin)
    print(reply.text, "- served by", reply.servedBy?.endpoint ?? "?")  // Hello - served by backup

    var streamed = ""
    for try await chunk in gateway.router.stream(slug: "primary", request: .init(messages: [.user("Hi there")]), as: admin) {
        streamed += chunk.text
    }
    // README-EXAMPLE-END
    return (reply.text, streamed, reply.servedBy?.endpoint.rawValue ?? "")
}

@Suite struct ReadmeExampleTests {
    @Test("the README example runs and falls back as it says")
    func runs() async throws {
        let result = try await readmeExample()
        #expect(result.text == "Hello")
        #expect(result.servedBy == "backup")
        #expect(result.streamed == "Hi there")
    }

    @Test("the README shows the example verbatim")
    func readmeMatches() throws {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let source = try String(contentsOf: here, encoding: .utf8)
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try #require(Self.block(in: source, begin: "// README-EXAMPLE-BEGIN", end: "// README-EXAMPLE-END"))
        let shown = try #require(Self.block(in: readme, begin: "```swift", end: "```"))
        let expected = "import GatewayKit\n\n" + Self.dedent(example)
        #expect(shown == expected)
    }

    static func block(in text: String, begin: String, end: String) -> String? {
        guard let start = text.range(of: begin) else { return nil }
        let rest = text[start.upperBound...].drop { $0 != "\n" }.dropFirst()
        guard let stop = rest.range(of: end) else { return nil }
        var body = String(rest[..<stop.lowerBound])
        while body.last == " " { body.removeLast() }
        return body
    }

    static func dedent(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { $0.count >= indent ? String($0.dropFirst(indent)) : "" }.joined(separator: "\n")
    }
}
