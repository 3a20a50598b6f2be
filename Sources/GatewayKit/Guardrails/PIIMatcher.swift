/// Finds personal data: e-mail addresses, phone numbers, payment cards (Luhn), IBANs (mod 97) and
/// IPv4/IPv6 addresses. Each candidate a pattern finds is checked before it counts.
struct PIIMatcher: TextMatcher {
    let types: Set<GuardrailRule.PIIType>
    let longestMatch: Int

    init?(types: [GuardrailRule.PIIType]) {
        guard !types.isEmpty else { return nil }
        self.types = Set(types)
        self.longestMatch = self.types.map(Self.longest).max() ?? 1
    }

    static func longest(_ type: GuardrailRule.PIIType) -> Int {
        switch type {
        case .email: 350
        case .phone: 32
        case .card: 40
        case .iban: 64
        case .ip: 45
        }
    }

    func matches(in text: String) -> [TextMatch] {
        var out: [TextMatch] = []
        let hasDigit = text.containsByte(where: \.isDigitByte)
        for type in GuardrailRule.PIIType.allCases where types.contains(type) {
            // Cheap byte tests first: most text has nothing a pattern could match.
            switch type {
            case .email: if !text.containsBytes("@") { continue }
            case .phone, .card: if !hasDigit { continue }
            case .iban: if !hasDigit || !text.containsByte(where: \.isUppercaseByte) { continue }
            case .ip: if !hasDigit && !text.containsBytes(":") { continue }
            }
            let ranges: [Range<String.Index>] =
                switch type {
                case .email: PIIPatterns.emails(in: text)
                case .phone: PIIPatterns.phones(in: text)
                case .card: PIIPatterns.cards(in: text)
                case .iban: PIIPatterns.ibans(in: text)
                case .ip: PIIPatterns.ipAddresses(in: text)
                }
            out += ranges.map { TextMatch(range: $0, label: type.rawValue) }
        }
        return out
    }

    func pendingStart(in text: String) -> String.Index? {
        var earliest: String.Index?
        for type in types {
            let limit = Self.longest(type)
            let start: String.Index? =
                switch type {
                case .email:
                    Self.run(text, limit, allowed: PIIPatterns.isEmailCharacter) {
                        $0.isASCIIAlphanumeric || "._%+-".contains($0)
                    }
                case .phone:
                    Self.run(text, limit, allowed: { $0.isPlainDigit || " ()+-".contains($0) }) {
                        $0.isPlainDigit || $0 == "+" || $0 == "("
                    }
                case .card:
                    Self.run(text, limit, allowed: { $0.isPlainDigit || $0 == " " || $0 == "-" }) { $0.isPlainDigit }
                case .iban:
                    Self.run(text, limit, allowed: { $0.isASCIIUppercase || $0.isPlainDigit || $0 == " " }) {
                        $0.isASCIIUppercase
                    }
                case .ip:
                    Self.run(text, limit, allowed: { $0.isASCIIHexDigit || $0 == ":" || $0 == "." }) {
                        $0.isASCIIHexDigit || $0 == ":"
                    }
                }
            if let start, earliest.map({ start < $0 }) ?? true { earliest = start }
        }
        return earliest
    }

    private static func run(
        _ text: String, _ limit: Int, allowed: (Character) -> Bool, first: (Character) -> Bool
    ) -> String.Index? {
        trailingRun(in: text, limit: limit, allowed: allowed, first: first)
    }
}

/// The patterns and checks behind ``PIIMatcher``.
enum PIIPatterns {
    // Regex is not Sendable, but these are never mutated and a regex compiles its program lazily
    // with an atomic store, so concurrent matching only reads them.
    nonisolated(unsafe) static let email = #/[A-Za-z0-9._%+\-]{1,64}@(?:[A-Za-z0-9\-]{1,63}\.){1,4}[A-Za-z]{2,24}/#
    nonisolated(unsafe) static let phone =
        #/(?:\+\d{1,3}[ \-]?)?(?:\(\d{1,4}\)[ \-]?)?\d{2,4}(?:[ \-]?\d{2,4}){0,3}[ \-]?\d{3,4}/#
    nonisolated(unsafe) static let digitRun = #/\d(?:[ \-]?\d)*/#
    nonisolated(unsafe) static let iban = #/[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/#
    nonisolated(unsafe) static let ipv4 = #/(?:\d{1,3}\.){3}\d{1,3}/#
    nonisolated(unsafe) static let ipv6 = #/[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:]*/#

    static func isEmailCharacter(_ character: Character) -> Bool {
        character.isASCIIAlphanumeric || "._%+-@".contains(character)
    }

    static func emails(in text: String) -> [Range<String.Index>] {
        text.matches(of: email).map(\.range)
    }

    static func phones(in text: String) -> [Range<String.Index>] {
        text.matches(of: phone).compactMap { match in
            let candidate = match.output
            let digits = candidate.filter(\.isPlainDigit).count
            // A bare run of digits is a number, not a phone number: ask for a separator or a prefix.
            guard (7...15).contains(digits), candidate.contains(where: { " -+(".contains($0) }) else { return nil }
            if let before = text.character(before: match.range.lowerBound), before.isWordCharacter || before == "+" {
                return nil
            }
            if let after = text.character(at: match.range.upperBound), after.isWordCharacter { return nil }
            return match.range
        }
    }

    static func cards(in text: String) -> [Range<String.Index>] {
        text.matches(of: digitRun).compactMap { match in
            let digits = match.output.compactMap(\.wholeNumberValue)
            guard (13...19).contains(digits.count), luhn(digits) else { return nil }
            return match.range
        }
    }

    /// The Luhn check: from the right, double every second digit; the sum must end in 0.
    static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            if position % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    static func ibans(in text: String) -> [Range<String.Index>] {
        text.matches(of: iban).compactMap { match in
            if let before = text.character(before: match.range.lowerBound), before.isWordCharacter { return nil }
            // The pattern may swallow a following upper-case word; drop trailing groups until it checks out.
            var end = match.range.upperBound
            while true {
                let candidate = text[match.range.lowerBound..<end]
                let compact = candidate.filter { $0 != " " }
                let followedByWord = text.character(at: end)?.isWordCharacter ?? false
                if !followedByWord, (15...34).contains(compact.count), mod97(compact) {
                    return match.range.lowerBound..<end
                }
                guard let space = candidate.lastIndex(of: " ") else { return nil }
                end = space
            }
        }
    }

    /// The IBAN check: move the first four characters to the end, letters become 10–35, mod 97 is 1.
    static func mod97(_ iban: some StringProtocol) -> Bool {
        let characters = Array(iban)
        guard characters.count > 4 else { return false }
        var remainder = 0
        for character in characters[4...] + characters[..<4] {
            if let digit = character.wholeNumberValue, character.isASCII {
                remainder = (remainder * 10 + digit) % 97
            } else if character.isASCIIUppercase, let ascii = character.asciiValue {
                remainder = (remainder * 100 + Int(ascii) - 55) % 97
            } else {
                return false
            }
        }
        return remainder == 1
    }

    static func ipAddresses(in text: String) -> [Range<String.Index>] {
        let v4 = text.matches(of: ipv4).compactMap { match -> Range<String.Index>? in
            let octets = match.output.split(separator: ".").compactMap { Int($0) }
            guard octets.count == 4, octets.allSatisfy({ $0 <= 255 }) else { return nil }
            if let before = text.character(before: match.range.lowerBound), before.isPlainDigit || before == "." {
                return nil
            }
            if let after = text.character(at: match.range.upperBound), after.isPlainDigit { return nil }
            return match.range
        }
        let v6 = text.matches(of: ipv6).compactMap { match -> Range<String.Index>? in
            if let before = text.character(before: match.range.lowerBound), before.isWordCharacter { return nil }
            if let after = text.character(at: match.range.upperBound), after.isWordCharacter { return nil }
            return isIPv6(match.output) ? match.range : nil
        }
        return v4 + v6
    }

    static func isIPv6(_ candidate: Substring) -> Bool {
        let halves = candidate.split(separator: "::", omittingEmptySubsequences: false)
        func groups(_ part: Substring) -> [Substring]? {
            if part.isEmpty { return [] }
            let groups = part.split(separator: ":", omittingEmptySubsequences: false)
            let valid = groups.allSatisfy { (1...4).contains($0.count) && $0.allSatisfy(\.isASCIIHexDigit) }
            return valid ? groups : nil
        }
        switch halves.count {
        case 1:
            return groups(halves[0])?.count == 8
        case 2:
            guard let left = groups(halves[0]), let right = groups(halves[1]) else { return false }
            let count = left.count + right.count
            return count >= 1 && count <= 7
        default:
            return false
        }
    }
}
