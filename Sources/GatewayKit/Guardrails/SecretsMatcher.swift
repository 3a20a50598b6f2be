/// Finds credentials: OpenAI and Anthropic keys (`sk-…`, `sk-ant-…`), AWS access key ids
/// (`AKIA`/`ASIA` + 16), GitHub tokens (`ghp_…`), Google API keys (`AIza…`) and PEM private-key blocks.
struct SecretsMatcher: TextMatcher {
    /// A PEM block can be long; a stream holds back at most this much after its `-----BEGIN`.
    static let longestBlock = 16_384
    /// The longest token-shaped credential.
    static let longestToken = 300

    var longestMatch: Int { Self.longestBlock }

    // Regex is not Sendable, but these are never mutated and a regex compiles its program lazily
    // with an atomic store, so concurrent matching only reads them.
    nonisolated(unsafe) static let tokens =
        #/sk-[A-Za-z0-9_\-]{20,280}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,251}|AIza[0-9A-Za-z_\-]{35}/#
    nonisolated(unsafe) static let privateKey =
        #/-----BEGIN[A-Z ]{0,40}PRIVATE KEY-----[\s\S]*?-----END[A-Z ]{0,40}PRIVATE KEY-----/#

    /// A token-shaped credential: a fixed prefix, then characters of one class.
    private struct Shape: Sendable {
        var prefixes: [String]
        var body: @Sendable (Character) -> Bool
        var maxBody: Int
    }

    private static let shapes: [Shape] = [
        Shape(prefixes: ["sk-"], body: isTokenCharacter, maxBody: 280),
        Shape(prefixes: ["AKIA", "ASIA"], body: { $0.isPlainDigit || $0.isASCIIUppercase }, maxBody: 16),
        Shape(prefixes: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], body: \.isASCIIAlphanumeric, maxBody: 251),
        Shape(prefixes: ["AIza"], body: isTokenCharacter, maxBody: 35),
    ]

    static func isTokenCharacter(_ character: Character) -> Bool {
        character.isASCIIAlphanumeric || character == "_" || character == "-"
    }

    func matches(in text: String) -> [TextMatch] {
        let mayHoldToken = ["sk-", "AKIA", "ASIA", "gh", "AIza"].contains { text.containsBytes($0) }
        let tokens =
            !mayHoldToken
            ? []
            : text.matches(of: Self.tokens).compactMap { match -> TextMatch? in
                // Part of a longer identifier is not a credential of this shape.
                if let before = text.character(before: match.range.lowerBound), Self.isTokenCharacter(before) {
                    return nil
                }
                return TextMatch(range: match.range, label: "secrets")
            }
        guard text.containsBytes("-----BEGIN") else { return tokens }
        let blocks = text.matches(of: Self.privateKey).map { TextMatch(range: $0.range, label: "secrets") }
        return tokens + blocks
    }

    func pendingStart(in text: String) -> String.Index? {
        [pendingToken(in: text), pendingBlock(in: text)].compactMap { $0 }.min()
    }

    private func pendingToken(in text: String) -> String.Index? {
        guard
            let runStart = trailingRun(
                in: text, limit: Self.longestToken, allowed: Self.isTokenCharacter, first: { _ in true }
            )
        else { return nil }
        var index = runStart
        while index < text.endIndex {
            // Every shape starts with "s", "A" or "g"; skip other positions without looking further.
            guard "sAg".contains(text[index]) else {
                index = text.index(after: index)
                continue
            }
            let tail = text[index...]
            let boundary = text.character(before: index).map { !Self.isTokenCharacter($0) } ?? true
            if boundary && Self.shapes.contains(where: { Self.couldGrow(tail, into: $0) }) { return index }
            index = text.index(after: index)
        }
        return nil
    }

    private static func couldGrow(_ tail: Substring, into shape: Shape) -> Bool {
        shape.prefixes.contains { prefix in
            if tail.count <= prefix.count { return prefix.hasPrefix(tail) }
            guard tail.hasPrefix(prefix) else { return false }
            let body = tail.dropFirst(prefix.count)
            return body.count <= shape.maxBody && body.allSatisfy(shape.body)
        }
    }

    private func pendingBlock(in text: String) -> String.Index? {
        let marker = "-----BEGIN"
        let window =
            text.index(text.endIndex, offsetBy: -Self.longestBlock, limitedBy: text.startIndex) ?? text.startIndex
        if text.containsBytes(marker), let begin = text[window...].ranges(of: marker).last?.lowerBound {
            let rest = text[begin...]
            if rest.prefixMatch(of: Self.privateKey) == nil && Self.mayBePrivateKey(rest.dropFirst(marker.count)) {
                return begin
            }
        }
        // The text may end in the first characters of "-----BEGIN".
        guard let last = text.utf8.last, last == UInt8(ascii: "-") || "BEGI".utf8.contains(last) else { return nil }
        var start =
            text.index(text.endIndex, offsetBy: -(marker.count - 1), limitedBy: text.startIndex) ?? text.startIndex
        while start < text.endIndex {
            if marker.hasPrefix(text[start...]) { return start }
            start = text.index(after: start)
        }
        return nil
    }

    /// Whether a PEM header after "-----BEGIN" is unfinished or names a private key.
    private static func mayBePrivateKey(_ header: Substring) -> Bool {
        guard let close = header.firstRange(of: "-----") else { return true }
        return header[..<close.lowerBound].hasSuffix("PRIVATE KEY")
    }
}
