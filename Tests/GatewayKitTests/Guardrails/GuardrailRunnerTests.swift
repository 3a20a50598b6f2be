import GatewayKitTesting
import Testing

@testable import GatewayKit

@Suite struct GuardrailRunnerTests {
    typealias Fixture = RouterGuardrailsTests.Fixture

    /// A gateway whose "echo" endpoint is guarded by an llm_judge rule asking the endpoint "judge".
    static func judged(by model: String, stage: GuardrailRule.Stage = .input) async throws -> Fixture {
        let rule = GuardrailRule.test(
            "polite", .llmJudge(endpoint: "judge", policy: "No insults."), stage: stage, scope: .endpoints(["echo"])
        )
        let fixture = try await Fixture.make([rule])
        try await fixture.gateway.endpoints.create(.init(name: "judge", model: "mock/\(model)"), by: .admin)
        return fixture
    }

    @Test(
        "a judge answering yes blocks, no lets through; on the input and on the output stage",
        arguments: [GuardrailRule.Stage.input, .output])
    func verdicts(stage: GuardrailRule.Stage) async throws {
        let yes = try await Self.judged(by: "fixed:Yes.", stage: stage)
        let error = await gatewayError { _ = try await yes.complete("echo", "you fool") }
        #expect(error?.code == .guardrailBlocked)
        #expect(error?.message.contains("'polite'") == true)
        try await yes.shutdown()

        let no = try await Self.judged(by: "fixed:no", stage: stage)
        #expect(try await no.complete("echo", "hello friend").text == "hello friend")
        try await no.shutdown()
    }

    @Test("a JSON verdict is understood")
    func jsonVerdict() async throws {
        let fixture = try await Self.judged(by: #"fixed:{"violates": true}"#)
        #expect(await gatewayError { _ = try await fixture.complete("echo", "x") }?.code == .guardrailBlocked)
        try await fixture.shutdown()
    }

    @Test("a judge that fails or answers something else blocks: no text passes unjudged")
    func failingJudge() async throws {
        let failing = try await Self.judged(by: "error:500")
        let error = await gatewayError { _ = try await failing.complete("echo", "hello") }
        #expect(error?.code == .guardrailBlocked)
        #expect(error?.message.contains("judge endpoint 'judge' failed") == true)
        try await failing.shutdown()

        let vague = try await Self.judged(by: "fixed:maybe, it depends")
        let unclear = await gatewayError { _ = try await vague.complete("echo", "hello") }
        #expect(unclear?.message.contains("no yes/no verdict") == true)
        try await vague.shutdown()
    }

    @Test("a streamed answer under a judge is held and judged whole")
    func streamedJudge() async throws {
        let yes = try await Self.judged(by: "fixed:yes", stage: .output)
        var received = ""
        let error = await gatewayError {
            for try await chunk in yes.gateway.router.stream(
                slug: "echo", request: .user("some rude words"), as: .admin)
            {
                received += chunk.text
            }
        }
        #expect(error?.code == .guardrailBlocked)
        #expect(received.isEmpty)
        try await yes.shutdown()

        let no = try await Self.judged(by: "fixed:no", stage: .output)
        let chunks = try await no.stream("echo", "some kind words")
        #expect(chunks.map(\.text).joined() == "some kind words")
        try await no.shutdown()
    }

    @Test("verdict parsing")
    func parsing() {
        #expect(GuardrailRunner.verdict(" YES ") == true)
        #expect(GuardrailRunner.verdict("no.") == false)
        #expect(GuardrailRunner.verdict(#"{"verdict": "no"}"#) == false)
        #expect(GuardrailRunner.verdict(#"{"violates": false}"#) == false)
        #expect(GuardrailRunner.verdict("yes and no") == nil)
        #expect(GuardrailRunner.verdict("") == nil)
    }
}

/// An in-process guardrail for tests: blocks "forbidden", replaces "shout" with "speak".
struct WordGuardrail: Guardrail {
    let name: String
    let stage: GuardrailRule.Stage

    func inspect(_ text: String) async throws -> GuardrailVerdict {
        if text.contains("forbidden") { return .block(reason: "it says forbidden") }
        if text.contains("shout") { return .redact(text.replacing("shout", with: "speak")) }
        return .allow
    }
}

@Suite struct InProcessGuardrailTests {
    @Test("in-process guardrails from the configuration run on every endpoint, input and output")
    func inProcess() async throws {
        let fixture = try await RouterGuardrailsTests.Fixture.make(
            [],
            guardrails: [
                WordGuardrail(name: "words-in", stage: .input), WordGuardrail(name: "words-out", stage: .output),
            ]
        )
        fixture.upstream.setBehaviour(.reply(text: "you said shout"))
        let error = await gatewayError { _ = try await fixture.complete("echo", "forbidden") }
        #expect(error?.message.contains("'words-in'") == true)
        #expect(error?.message.contains("it says forbidden") == true)
        #expect(try await fixture.complete("main", "please shout").text == "you said speak")
        #expect(
            fixture.upstream.requests.first?.json?["messages"]?.arrayValue?.last?["content"]?.stringValue
                == "please speak")
        let streamed = try await fixture.stream("echo", "shout it")
        #expect(streamed.map(\.text).joined() == "speak it")
        try await fixture.shutdown()
    }
}
