/// One match: where, and the label its redaction shows (`[REDACTED:<label>]`).
struct TextMatch: Sendable, Equatable {
    var range: Range<String.Index>
    var label: String
}

/// Finds the spans a compiled rule matches in a text.
protocol TextMatcher: Sendable {
    /// The most characters one match can cover; a stream holds back at most this many.
    var longestMatch: Int { get }

    /// Every match in `text`, in order.
    func matches(in text: String) -> [TextMatch]

    /// The earliest index from which the end of `text` could still become a match once more text
    /// arrives, or `nil` when no match can start in the tail.
    func pendingStart(in text: String) -> String.Index?
}

extension TextMatcher {
    /// The conservative answer: any of the last `longestMatch - 1` characters may start a match.
    func lastCharacters(in text: String) -> String.Index? {
        guard longestMatch > 1, !text.isEmpty else { return nil }
        return text.index(text.endIndex, offsetBy: -(longestMatch - 1), limitedBy: text.startIndex) ?? text.startIndex
    }
}

/// The start of the run of `allowed` characters at the end of `text` that could still begin a
/// match: the earliest character in `first` among the run's last `limit - 1` characters.
func trailingRun(
    in text: String, limit: Int, allowed: (Character) -> Bool, first: (Character) -> Bool
) -> String.Index? {
    var index = text.endIndex
    var count = 0
    var start: String.Index?
    while index > text.startIndex, count < limit - 1 {
        let before = text.index(before: index)
        guard allowed(text[before]) else { break }
        count += 1
        index = before
        if first(text[index]) { start = index }
    }
    return start
}

extension String {
    /// Whether the characters on either side of `range` are not word characters.
    func isWholeWord(_ range: Range<String.Index>) -> Bool {
        let before = range.lowerBound > startIndex && self[index(before: range.lowerBound)].isWordCharacter
        let after = range.upperBound < endIndex && self[range.upperBound].isWordCharacter
        return !before && !after
    }

    /// The character before `index`, if any.
    func character(before index: String.Index) -> Character? {
        index > startIndex ? self[self.index(before: index)] : nil
    }

    /// The character at `index`, if any.
    func character(at index: String.Index) -> Character? {
        index < endIndex ? self[index] : nil
    }
}

extension String {
    /// Whether the UTF-8 bytes contain `needle`: a cheap test run before a costlier `Regex`.
    func containsBytes(_ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return true }
        let bytes = utf8
        var index = bytes.startIndex
        while let found = bytes[index...].firstIndex(of: first) {
            if bytes[found...].starts(with: pattern) { return true }
            index = bytes.index(after: found)
        }
        return false
    }

    /// Whether any UTF-8 byte satisfies `predicate`.
    func containsByte(where predicate: (UInt8) -> Bool) -> Bool {
        utf8.contains(where: predicate)
    }
}

extension UInt8 {
    var isDigitByte: Bool { self >= 0x30 && self <= 0x39 }
    var isUppercaseByte: Bool { self >= 0x41 && self <= 0x5A }
}

extension Character {
    /// A letter, digit or underscore: what whole-word matching treats as part of a word.
    var isWordCharacter: Bool { isLetter || isNumber || self == "_" }

    /// 0–9.
    var isPlainDigit: Bool { ("0"..."9").contains(self) }

    var isASCIIHexDigit: Bool { isASCII && isHexDigit }

    var isASCIIUppercase: Bool { isASCII && isUppercase }

    var isASCIIAlphanumeric: Bool { isASCII && (isLetter || isNumber) }
}

/// Matches a user's regular expression; holds back a fixed number of characters on streams.
struct RegexMatcher: TextMatcher {
    // Regex is not Sendable, but this one is never mutated and compiles its program lazily with an
    // atomic store, so concurrent matching only reads it.
    nonisolated(unsafe) let regex: Regex<AnyRegexOutput>
    let longestMatch: Int

    func matches(in text: String) -> [TextMatch] {
        text.matches(of: regex).compactMap { $0.range.isEmpty ? nil : TextMatch(range: $0.range, label: "regex") }
    }

    func pendingStart(in text: String) -> String.Index? { lastCharacters(in: text) }
}

/// Matches terms case-insensitively as whole words.
struct TermMatcher: TextMatcher {
    // Not Sendable, but never mutated; see RegexMatcher.
    nonisolated(unsafe) let regex: Regex<AnyRegexOutput>
    let lowercasedTerms: [String]
    let longestMatch: Int

    init?(terms: [String]) throws {
        let cleaned = Set(terms.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty })
        guard !cleaned.isEmpty else { return nil }
        // Longest first, so "new york" wins over "new".
        let sorted = cleaned.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
        let pattern = sorted.map(Self.escape).joined(separator: "|")
        self.regex = try Regex(pattern).ignoresCase()
        self.lowercasedTerms = sorted.map { $0.lowercased() }
        self.longestMatch = (sorted.map(\.count).max() ?? 1) + 1
    }

    func matches(in text: String) -> [TextMatch] {
        text.matches(of: regex).compactMap { match in
            text.isWholeWord(match.range) ? TextMatch(range: match.range, label: "blocked_terms") : nil
        }
    }

    func pendingStart(in text: String) -> String.Index? {
        guard var index = lastCharacters(in: text) else { return nil }
        while index < text.endIndex {
            let atWordStart = index == text.startIndex || !text[text.index(before: index)].isWordCharacter
            if atWordStart {
                let tail = text[index...].lowercased()
                if lowercasedTerms.contains(where: { $0.hasPrefix(tail) }) { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func escape(_ term: String) -> String {
        var out = ""
        for character in term {
            // Only ASCII punctuation has a meaning in a pattern; escaping anything else is an error.
            if character.isASCII && !character.isASCIIAlphanumeric && character != " " && character != "_" {
                out.append("\\")
            }
            out.append(character)
        }
        return out
    }
}
