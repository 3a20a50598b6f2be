import Foundation
import Testing

@testable import GatewayKit

/// Random chat values, with awkward strings and numbers over-represented.
struct RandomChat {
    var rng: SplitMix64

    private static let pieces: [String] =
        JSONWriterTests.awkwardStrings + ["a", "b", "Z", "_", "0", "9", " ", "tool", "max_tokens", "ü", "—", "🙂"]

    mutating func bool() -> Bool { Bool.random(using: &rng) }

    mutating func maybe<T>(_ make: (inout RandomChat) -> T) -> T? {
        bool() ? make(&self) : nil
    }

    mutating func int() -> Int {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: Int.random(in: -10...10, using: &rng)
        case 1: Int.random(in: 0...2_000_000_000, using: &rng)
        case 2: [Int.min, Int.max, 0][Int.random(in: 0..<3, using: &rng)]
        default: Int(truncatingIfNeeded: rng.next())
        }
    }

    mutating func double() -> Double {
        let special = [1.0, 0.1, 1e-7, 1e21, -0.0, 123456789.123, .leastNonzeroMagnitude, 1e300]
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return Double(Int.random(in: -100...100, using: &rng)) / 10
        case 1: return Double.random(in: -2...2, using: &rng)
        case 2: return special[Int.random(in: 0..<special.count, using: &rng)]
        default:
            let value = Double(bitPattern: rng.next())
            return value.isFinite ? value : 0.5
        }
    }

    mutating func string(maxPieces: Int = 6) -> String {
        var out = ""
        for _ in 0..<Int.random(in: 0...maxPieces, using: &rng) {
            out += Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &rng)]
        }
        return out
    }

    mutating func json(depth: Int = 0) -> JSONValue {
        let kinds = depth >= 3 ? 5 : 7
        switch Int.random(in: 0..<kinds, using: &rng) {
        case 0: return .null
        case 1: return .bool(bool())
        case 2: return .int(int())
        case 3: return .double(double())
        case 4: return .string(string())
        case 5: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in json(depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &rng) { members[string(maxPieces: 2)] = json(depth: depth + 1) }
            return .object(members)
        }
    }

    mutating func content() -> ChatContent {
        if bool() { return .text(string()) }
        return .parts(
            (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: .text(string())
                case 1: .imageURL(url: string(), detail: maybe { $0.string() })
                default: .other(json(depth: 1))
                }
            })
    }

    mutating func toolCalls() -> [ToolCall] {
        (0..<Int.random(in: 0...2, using: &rng)).map { _ in ToolCall(id: string(), name: string(), arguments: string())
        }
    }

    mutating func message() -> ChatMessage {
        let roles: [ChatMessage.Role] = [.system, .developer, .user, .assistant, .tool, .init(rawValue: string())]
        return ChatMessage(
            role: roles[Int.random(in: 0..<roles.count, using: &rng)], content: maybe { $0.content() },
            name: maybe { $0.string() }, toolCalls: maybe { $0.toolCalls() }, toolCallID: maybe { $0.string() },
            refusal: maybe { $0.string() }
        )
    }

    mutating func request() -> ChatRequest {
        var request = ChatRequest(messages: (0..<Int.random(in: 0...4, using: &rng)).map { _ in message() })
        request.model = maybe { $0.string() }
        request.maxTokens = maybe { $0.int() }
        request.temperature = maybe { $0.double() }
        request.topP = maybe { $0.double() }
        request.stop = maybe { r in (0..<Int.random(in: 0...2, using: &r.rng)).map { _ in r.string() } }
        request.seed = maybe { $0.int() }
        request.user = maybe { $0.string() }
        request.n = maybe { $0.int() }
        request.presencePenalty = maybe { $0.double() }
        request.frequencyPenalty = maybe { $0.double() }
        request.tools = maybe { r in
            (0..<Int.random(in: 0...2, using: &r.rng)).map { _ in
                ChatTool(
                    name: r.string(), description: r.maybe { $0.string() }, parameters: r.maybe { $0.json() },
                    strict: r.maybe { $0.bool() })
            }
        }
        let choices: [ToolChoice] = [.none, .auto, .required, .function(string())]
        request.toolChoice = maybe { choices[Int.random(in: 0..<choices.count, using: &$0.rng)] }
        request.parallelToolCalls = maybe { $0.bool() }
        request.responseFormat = maybe { r in
            [
                ResponseFormat.text, .jsonObject,
                .jsonSchema(name: r.string(), schema: r.json(), strict: r.maybe { $0.bool() }),
            ][
                Int.random(in: 0..<3, using: &r.rng)]
        }
        request.stream = bool()
        request.includeUsage = maybe { $0.bool() }
        let known = ["model", "messages", "temperature", "tool_choice", "stream_options", "tools", "n", "top_p"]
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            let key = bool() ? known[Int.random(in: 0..<known.count, using: &rng)] : string(maxPieces: 2)
            request.extra[key] = json(depth: 1)
        }
        return request
    }

    mutating func usage() -> Usage {
        Usage(
            promptTokens: int(), completionTokens: int(), totalTokens: int(), cachedTokens: maybe { $0.int() },
            reasoningTokens: maybe { $0.int() })
    }

    mutating func finishReason() -> FinishReason? {
        maybe {
            [FinishReason.stop, .length, .toolCalls, .contentFilter, .init(rawValue: $0.string())][
                Int.random(in: 0..<5, using: &$0.rng)]
        }
    }

    mutating func response() -> ChatResponse {
        ChatResponse(
            id: string(), created: int(), model: string(),
            choices: (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                .init(index: int(), message: message(), finishReason: finishReason())
            },
            usage: maybe { $0.usage() }
        )
    }

    mutating func chunk() -> ChatChunk {
        let choices = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
            let calls = maybe { r in
                (0..<Int.random(in: 0...3, using: &r.rng)).map { _ in
                    ChatChunk.ToolCallDelta(
                        index: r.int(), id: r.maybe { $0.string() }, name: r.maybe { $0.string() },
                        arguments: r.maybe { $0.string() })
                }
            }
            let delta = ChatChunk.Delta(
                role: maybe { _ in .assistant }, content: maybe { $0.string() }, refusal: maybe { $0.string() },
                toolCalls: calls)
            return ChatChunk.Choice(index: int(), delta: delta, finishReason: finishReason())
        }
        return ChatChunk(id: string(), created: int(), model: string(), choices: choices, usage: maybe { $0.usage() })
    }
}

extension JSONWriterTests {
    @Test("thousands of seeded random requests match JSONEncoder, with either token-limit name and overrides")
    func randomRequests() throws {
        var random = RandomChat(rng: SplitMix64(seed: 0x6A50_4E57))
        for index in 0..<3000 {
            let request = random.request()
            guard try Self.expectSame(request) else { return }
            let field: ChatRequest.MaxTokensField = random.bool() ? .maxTokens : .maxCompletionTokens
            var overrides: [String: JSONValue] = [:]
            if random.bool() { overrides["tool_choice"] = .string("any") }
            if random.bool() { overrides[random.string(maxPieces: 2)] = random.json(depth: 2) }
            let reference = try Self.encoded(ReferenceWireBody(request: request, field: field, overrides: overrides))
            let actual = try Self.wire(request, field, overrides: overrides)
            #expect(actual == reference, "request \(index): \(String(decoding: actual, as: UTF8.self))")
            if actual != reference { return }
        }
    }

    @Test("thousands of seeded random responses and chunks match JSONEncoder")
    func randomAnswers() throws {
        var random = RandomChat(rng: SplitMix64(seed: 0xC4A7))
        // Stop at the first difference: one case shows the fault, thousands only bury it.
        for _ in 0..<3000 {
            guard try Self.expectSame(random.response()), try Self.expectSame(random.chunk()) else { return }
        }
    }
}
