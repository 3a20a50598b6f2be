/// A seeded generator of JSON texts shaped like chat requests, responses and stream chunks, with
/// random mutations (type swaps, nulls, missing members, unknown keys, odd number spellings,
/// escapes, whitespace and, sometimes, a damaged byte), for differential tests of the fast path.
struct ChatJSONGenerator {
    /// A JSON tree that keeps how its numbers and strings are spelled.
    indirect enum Node {
        case raw(String)
        case string(String)
        case array([Node])
        case object([(String, Node)])
    }

    private var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { random.next() }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func number() -> Node {
        if chance(30) { return .raw(String(below(2000) - 10)) }
        if chance(20) { return .raw(String(Double(below(1_000_000)) / Double(below(999) + 1))) }
        return .raw(
            pick([
                "1.0", "1e2", "1E+2", "-0", "-0.0", "0.5", "-2.5", "1e400", "12345678901234567890", "2.5e18",
                "9007199254740993.0", "100e-2", "1e-400", "9223372036854775807", "9223372036854775808",
                "-9223372036854775808", "0.1e1", "3.14159", "1.7976931348623157e308", "4.9e-324", "0",
            ]))
    }

    mutating func text() -> String {
        let pieces = [
            "hello", "", " ", "é", "😀", "\n", "\"", "\\", "/", "\t", "ü", "\u{0}", "\u{7F}", "日本", "a\u{301}", "stop",
        ]
        var out = ""
        for _ in 0..<below(4) { out += pick(pieces) }
        return out
    }

    mutating func scalar() -> Node {
        switch below(6) {
        case 0: .raw("null")
        case 1: .raw(pick(["true", "false"]))
        case 2: number()
        case 3: .array([])
        case 4: .object([])
        default: .string(text())
        }
    }

    /// Replaces, drops or adds members at random, recursively.
    mutating func mutate(_ node: Node, rate: Int) -> Node {
        if chance(rate) { return chance(40) ? .raw("null") : scalar() }
        switch node {
        case .array(let items):
            return .array(items.map { mutate($0, rate: rate) })
        case .object(let members):
            var out: [(String, Node)] = []
            for (key, value) in members where !chance(rate) { out.append((key, mutate(value, rate: rate))) }
            if chance(rate) { out.append((pick(["extra", "logprobs", "x_custom", "metadata"]), scalar())) }
            return .object(out)
        default:
            return node
        }
    }
}
