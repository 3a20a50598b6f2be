import Testing

@testable import GatewayKit

@Suite struct GuardrailSetTests {
    @Test("lists hold the active rules covering a slug, by order then name, split by stage")
    func listsPerEndpoint() {
        let set = GuardrailSet([
            .test("b", .secrets, order: 1),
            .test("a", .secrets, order: 1),
            .test("first", .secrets, scope: .endpoints(["billing"]), order: 0),
            .test("out", .secrets, stage: .output, action: .redact, order: 5),
            .test("off", .secrets, order: -1, active: false),
        ])
        #expect(set.lists(for: "billing").input.map(\.name) == ["first", "a", "b"])
        #expect(set.lists(for: "chat").input.map(\.name) == ["a", "b"])
        #expect(set.lists(for: "chat").output.map(\.name) == ["out"])
        #expect(set.activeCount == 4)
        #expect(set.activeCount(for: "billing") == 4)
        #expect(set.activeCount(for: "created-later") == 3)
    }

    @Test("no rules: empty lists for every slug")
    func empty() {
        let set = GuardrailSet([.test("off", .secrets, active: false)])
        #expect(set.lists(for: "any").count == 0)
        #expect(set.activeCount == 0)
    }

    @Test("a stored rule that does not compile blocks everything it covers")
    func brokenRuleBlocks() async throws {
        let set = GuardrailSet([.test("bad", .regex(pattern: "(unclosed"))])
        var texts = ["anything"]
        let runner = GuardrailRunner { _, _ in "" }
        let error = await gatewayError { try await runner.run(set.lists(for: "any").input, on: &texts) }
        #expect(error?.code == .guardrailBlocked)
        #expect(error?.message.contains("'bad'") == true)
        #expect(error?.message.contains("cannot be compiled") == true)
    }
}
