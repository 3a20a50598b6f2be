import Testing

@testable import GatewayKit

@Suite struct OutputStreamGuardTests {
    static func chunk(_ text: String?, index: Int = 0, finish: FinishReason? = nil) -> ChatChunk {
        ChatChunk(
            id: "c", created: 0, model: "m",
            choices: [.init(index: index, delta: .init(content: text), finishReason: finish)]
        )
    }

    @Test("the held tail rides on the choice's last chunk")
    func flushOnFinish() async throws {
        var outputGuard = OutputStreamGuard(
            rules: try StreamRedactorTests.rules([.secrets]), runner: GuardrailRunner { _, _ in "" }
        )
        let first = try await outputGuard.filter([Self.chunk("key sk-"), Self.chunk(nil)])
        #expect(first.map(\.text) == ["key ", ""])
        #expect(first[1].choices[0].delta.content == nil, "a chunk without content keeps none")
        let last = try await outputGuard.filter([Self.chunk("x", finish: .stop)])
        #expect(last.map(\.text) == ["sk-x"])
        #expect(try await outputGuard.finishAll() == nil)
    }

    @Test("a stream that ends without finishing a choice gets one last chunk with the held text")
    func flushAtEnd() async throws {
        var outputGuard = OutputStreamGuard(
            rules: try StreamRedactorTests.rules([.pii(types: [.email])]), runner: GuardrailRunner { _, _ in "" }
        )
        let out = try await outputGuard.filter([
            Self.chunk("write to a@b.io", index: 0), Self.chunk("hi bob", index: 1),
        ])
        #expect(out.map { $0.choices[0].delta.content } == ["write to ", "hi "])
        let last = try #require(try await outputGuard.finishAll())
        #expect(last.choices.map(\.index) == [0, 1])
        #expect(last.choices.map(\.delta.content) == ["[REDACTED:email]", "bob"])
        #expect(last.usage == nil)
    }
}
