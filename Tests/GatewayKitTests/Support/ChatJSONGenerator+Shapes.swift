extension ChatJSONGenerator {
    private mutating func optional(_ key: String, _ members: inout [(String, Node)], _ make: (inout Self) -> Node) {
        if chance(60) { members.append((key, make(&self))) }
    }

    mutating func toolCall() -> Node {
        .object([
            ("id", .string("call_\(below(100))")), ("type", .string("function")),
            (
                "function",
                .object([("name", .string(pick(["get_weather", "f"]))), ("arguments", .string("{\"a\":1}"))])
            ),
        ])
    }

    mutating func part() -> Node {
        switch below(4) {
        case 0: .object([("type", .string("text")), ("text", .string(text()))])
        case 1:
            .object([
                ("type", .string("image_url")),
                ("image_url", .object([("url", .string("https://x/y.png")), ("detail", .string("low"))])),
            ])
        case 2: .object([("type", .string("image_url")), ("image_url", .string("data:image/png;base64,AAAA"))])
        default: .object([("type", .string("input_audio")), ("input_audio", .object([("data", .string("AAAA"))]))])
        }
    }

    mutating func message() -> Node {
        var members: [(String, Node)] = [("role", .string(pick(["user", "assistant", "system", "tool", "developer"])))]
        members.append(("content", chance(70) ? .string(text()) : .array((0..<below(3)).map { _ in part() })))
        optional("name", &members) { .string($0.text()) }
        if chance(30) { members.append(("tool_calls", .array((0..<below(3)).map { _ in toolCall() }))) }
        if chance(20) { members.append(("tool_call_id", .string("call_1"))) }
        if chance(10) { members.append(("refusal", .string("no"))) }
        return .object(members)
    }

    mutating func usage() -> Node {
        var members: [(String, Node)] = [("prompt_tokens", number()), ("completion_tokens", .raw(String(below(100))))]
        optional("total_tokens", &members) { .raw(String($0.below(300))) }
        optional("prompt_tokens_details", &members) { .object([("cached_tokens", $0.number())]) }
        optional("completion_tokens_details", &members) { .object([("reasoning_tokens", .raw(String($0.below(9))))]) }
        return .object(members)
    }

    mutating func request() -> Node {
        var members: [(String, Node)] = [("messages", .array((0..<(below(4) + 1)).map { _ in message() }))]
        optional("model", &members) { _ in .string("gpt-4o-mini") }
        optional("max_tokens", &members) { $0.number() }
        if chance(30) { members.append(("max_completion_tokens", number())) }
        optional("temperature", &members) { $0.number() }
        if chance(30) { members.append(("top_p", number())) }
        if chance(30) { members.append(("stop", chance(50) ? .string("END") : .array([.string("a"), .string("b")]))) }
        if chance(20) { members.append(("seed", number())) }
        if chance(20) { members.append(("user", .string("u-1"))) }
        if chance(20) { members.append(("n", .raw("1"))) }
        if chance(20) { members.append(("presence_penalty", number())) }
        if chance(20) { members.append(("frequency_penalty", number())) }
        if chance(30) { members.append(("tools", .array([tool()]))) }
        if chance(30) { members.append(("tool_choice", toolChoice())) }
        if chance(20) { members.append(("parallel_tool_calls", .raw("true"))) }
        if chance(30) { members.append(("response_format", responseFormat())) }
        optional("stream", &members) { .raw($0.pick(["true", "false"])) }
        if chance(30) {
            members.append(("stream_options", .object([("include_usage", .raw(pick(["true", "false", "1"])))])))
        }
        if chance(30) { members.append(("metadata", .object([("k", .string(text()))]))) }
        return .object(members)
    }

    mutating func tool() -> Node {
        let parameters: Node = .object([
            ("type", .string("object")), ("properties", .object([("city", .object([("type", .string("string"))]))])),
        ])
        return .object([
            ("type", .string("function")),
            (
                "function",
                .object([
                    ("name", .string("get_weather")), ("description", .string(text())), ("parameters", parameters),
                    ("strict", .raw("true")),
                ])
            ),
        ])
    }

    mutating func toolChoice() -> Node {
        chance(60)
            ? .string(pick(["none", "auto", "required", "any", "other"]))
            : .object([("type", .string("function")), ("function", .object([("name", .string("get_weather"))]))])
    }

    mutating func responseFormat() -> Node {
        switch below(4) {
        case 0: .object([("type", .string("text"))])
        case 1: .object([("type", .string("json_object"))])
        case 2:
            .object([
                ("type", .string("json_schema")),
                ("json_schema", .object([("name", .string("r")), ("schema", .object([])), ("strict", .raw("true"))])),
            ])
        default: .object([("type", .string("xml"))])
        }
    }

    mutating func response() -> Node {
        let choice: Node = .object([
            ("index", .raw("0")), ("message", message()), ("logprobs", .raw("null")),
            ("finish_reason", .string(pick(["stop", "length", "tool_calls", ""]))),
        ])
        var members: [(String, Node)] = [
            ("id", .string("chatcmpl-1")), ("object", .string("chat.completion")), ("created", .raw("1700000000")),
            ("model", .string("gpt-4o-mini")), ("choices", .array([choice])),
        ]
        optional("usage", &members) { $0.usage() }
        return .object(members)
    }

    mutating func chunk() -> Node {
        var delta: [(String, Node)] = []
        optional("role", &delta) { _ in .string("assistant") }
        optional("content", &delta) { .string($0.text()) }
        if chance(30) {
            let function: Node = .object([("name", .string("f")), ("arguments", .string("{\"a\""))])
            delta.append(
                (
                    "tool_calls",
                    .array([
                        .object([
                            ("index", .raw("0")), ("id", .string("call_1")), ("type", .string("function")),
                            ("function", function),
                        ])
                    ])
                ))
        }
        let choice: Node = .object([
            ("index", .raw("0")), ("delta", .object(delta)),
            ("finish_reason", chance(70) ? .raw("null") : .string(pick(["stop", "", "tool_calls"]))),
        ])
        var members: [(String, Node)] = [
            ("id", .string("chatcmpl-1")), ("object", .string("chat.completion.chunk")),
            ("created", .raw("1700000000")),
            ("model", .string("gpt-4o-mini")), ("choices", .array(chance(90) ? [choice] : [])),
        ]
        optional("usage", &members) { $0.usage() }
        return .object(members)
    }
}
