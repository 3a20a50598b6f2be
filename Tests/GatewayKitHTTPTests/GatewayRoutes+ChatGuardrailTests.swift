import Foundation
import GatewayKit
import GatewayKitHTTP
import HTTPTypes
import HummingbirdTesting
import Testing

/// Blocks any text containing "forbidden".
private struct ForbiddenWord: Guardrail {
    let name: String
    let stage: GuardrailRule.Stage

    func inspect(_ text: String) async throws -> GuardrailVerdict {
        text.contains("forbidden") ? .block(reason: "it says forbidden") : .allow
    }
}

@Suite struct GatewayRoutesChatGuardrailTests {
    @Test("a blocked request answers 400 in the OpenAI error shape with code guardrail_blocked", arguments: ChatPath.allCases)
    func blockedRequest(path: ChatPath) async throws {
        let gateway = try await makeTestGateway(guardrails: [ForbiddenWord(name: "no-forbidden", stage: .input)])
        try await withLiveServer(gateway, chat: path) { client in
            for extra in ["", #""stream":true"#] {
                let response = try await client.call(
                    .post, "/v1/chat/completions", json: chatBody("demo", "a forbidden word", extra: extra)
                )
                #expect(response.status == .badRequest)
                let error = try response.error()
                #expect(error["code"] as? String == "guardrail_blocked")
                #expect((error["message"] as? String)?.contains("'no-forbidden'") == true)
            }
        }
    }

    @Test("an answer blocked while streaming ends with a guardrail_blocked error event and no [DONE]", arguments: ChatPath.allCases)
    func blockedStream(path: ChatPath) async throws {
        let gateway = try await makeTestGateway(guardrails: [ForbiddenWord(name: "clean-answers", stage: .output)])
        try await withLiveServer(gateway, chat: path) { client in
            let response = try await client.call(
                .post, "/v1/chat/completions", json: chatBody("demo", "a forbidden answer", extra: #""stream":true"#)
            )
            #expect(response.status == .ok)
            let last = try #require(response.events.last)
            let error = try #require(
                (try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])?["error"] as? [String: Any]
            )
            #expect(error["code"] as? String == "guardrail_blocked")
            #expect(!response.text.contains("forbidden answer"))
            #expect(!response.text.contains("[DONE]"))
        }
    }
}
