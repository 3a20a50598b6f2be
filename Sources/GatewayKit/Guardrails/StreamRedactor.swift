/// Applies pattern rules to one streamed text as it arrives.
///
/// It emits at once everything that can no longer become part of a match and holds back only the
/// tail that could still be the start of one (at most the longest span a rule's match can have),
/// so a match split across chunks at any offset is still found. A block throws before any of the
/// matched text is emitted.
struct StreamRedactor {
    /// Characters of already emitted text kept to give matches their left context (word boundaries).
    static let contextLength = 64

    let rules: [CompiledGuardrail]
    /// Already emitted text (at most `contextLength` characters) followed by held text.
    private var buffer = ""
    /// Where the held text starts in `buffer`, in UTF-8 bytes.
    private var heldOffset = 0

    init(rules: [CompiledGuardrail]) {
        self.rules = rules
    }

    /// Adds `text` and returns what can be sent now.
    mutating func feed(_ text: String) throws(GatewayError) -> String {
        buffer += text
        return try release(final: false)
    }

    /// Returns everything still held, redacted.
    mutating func finish() throws(GatewayError) -> String {
        try release(final: true)
    }

    private mutating func release(final: Bool) throws(GatewayError) -> String {
        let held = buffer.utf8.index(buffer.startIndex, offsetBy: heldOffset)
        var cut = buffer.endIndex
        if !final {
            for rule in rules {
                guard case .pattern(let matcher) = rule.check, let start = matcher.pendingStart(in: buffer) else {
                    continue
                }
                cut = min(cut, max(start, held))
            }
        }
        var found: [(rule: Int, match: TextMatch)] = []
        for (index, rule) in rules.enumerated() {
            guard case .pattern(let matcher) = rule.check else { continue }
            for match in matcher.matches(in: buffer) where match.range.upperBound > held {
                found.append((index, match))
            }
        }
        // A match that began before the cut cannot grow any more: send it whole.
        for item in found.sorted(by: { $0.match.range.lowerBound < $1.match.range.lowerBound })
        where item.match.range.lowerBound < cut && item.match.range.upperBound > cut {
            cut = item.match.range.upperBound
        }
        let settled = found.filter { $0.match.range.lowerBound < cut }
        if let blocking = settled.filter({ rules[$0.rule].action == .block }).min(by: { $0.rule < $1.rule }) {
            throw rules[blocking.rule].blocked("it contains \(GuardrailRunner.describe(blocking.match.label))")
        }
        let redactions = settled.map { item in
            TextMatch(
                range: max(item.match.range.lowerBound, held)..<item.match.range.upperBound, label: item.match.label)
        }
        let out = GuardrailRunner.redact(buffer[held..<cut], redactions)
        let keep = buffer.index(cut, offsetBy: -Self.contextLength, limitedBy: buffer.startIndex) ?? buffer.startIndex
        heldOffset = buffer.utf8.distance(from: keep, to: cut)
        buffer = String(buffer[keep...])
        return out
    }
}
