extension Endpoint {
    /// An endpoint's unique name in URLs and API calls: lowercase a–z, 0–9 and single hyphens,
    /// 1–63 characters, no hyphen at either end (`production-gpt-4o`).
    ///
    /// A string literal is accepted as is, for convenience; every slug is validated where it enters
    /// the configuration (create, edit, fallbacks).
    public struct Slug: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible,
        ExpressibleByStringLiteral
    {
        /// The longest slug, in characters.
        public static let maximumLength = 63

        public var rawValue: String

        /// Wraps a string without validating it; see ``init(validating:field:)``.
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }

        /// A validated slug.
        /// - Parameters:
        ///   - text: the candidate.
        ///   - field: the field named in the error.
        /// - Throws: `GatewayError` `invalidRequest` naming the rule that `text` breaks.
        public init(validating text: String, field: String = "slug") throws(GatewayError) {
            if let problem = Slug.problem(with: text) {
                throw GatewayError.invalid(field, "slug '\(text)' is invalid: \(problem)")
            }
            self.rawValue = text
        }

        /// Which slug rule `text` breaks, or `nil` when it is a valid slug.
        public static func problem(with text: String) -> String? {
            let bytes = Array(text.utf8)
            if bytes.isEmpty { return "it must not be empty" }
            if bytes.count > maximumLength { return "it must be at most \(maximumLength) characters" }
            for byte in bytes where !(byte.isLowercaseASCIILetter || byte.isASCIIDigit || byte == UInt8(ascii: "-")) {
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { return "it must be lowercase" }
                return "it may contain only a-z, 0-9 and hyphens"
            }
            if bytes.first == UInt8(ascii: "-") || bytes.last == UInt8(ascii: "-") {
                return "it must not start or end with a hyphen"
            }
            if text.contains("--") { return "it must not contain consecutive hyphens" }
            return nil
        }

        /// Makes a slug from a display name: accents folded, letters lowercased, every run of other
        /// characters turned into one hyphen, trimmed to 63 characters (`"Production GPT-4o"` →
        /// `production-gpt-4o`). A name with no letters or digits gives `endpoint`.
        public static func generate(from name: String) -> Slug {
            var out: [UInt8] = []
            var pendingHyphen = false
            for scalar in name.unicodeScalars {
                for byte in asciiFolding(scalar) {
                    if byte.isLowercaseASCIILetter || byte.isASCIIDigit {
                        if pendingHyphen && !out.isEmpty { out.append(UInt8(ascii: "-")) }
                        pendingHyphen = false
                        out.append(byte)
                    } else {
                        pendingHyphen = true
                    }
                }
            }
            if out.count > maximumLength {
                out = Array(out.prefix(maximumLength))
                while out.last == UInt8(ascii: "-") { out.removeLast() }
            }
            return out.isEmpty ? Slug(rawValue: "endpoint") : Slug(rawValue: String(decoding: out, as: UTF8.self))
        }

        /// This slug with a numeric suffix (`name-2`), trimmed so the result stays within 63 characters.
        func withSuffix(_ number: Int) -> Slug {
            let suffix = "-\(number)"
            var base = String(rawValue.prefix(Slug.maximumLength - suffix.count))
            while base.hasSuffix("-") { base.removeLast() }
            return Slug(rawValue: base + suffix)
        }

        public var description: String { rawValue }

        public static func < (lhs: Slug, rhs: Slug) -> Bool { lhs.rawValue < rhs.rawValue }
    }
}

/// Lowercase ASCII for one scalar: ASCII letters lowercased, Latin letters with diacritics folded
/// to their base letter (é → e, Ø → o, ß → ss, Æ → ae); anything else becomes a separator.
private func asciiFolding(_ scalar: Unicode.Scalar) -> [UInt8] {
    if scalar.isASCII {
        let byte = UInt8(scalar.value)
        if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { return [byte + 32] }
        return [byte]
    }
    if scalar == "ß" { return Array("ss".utf8) }
    // The Unicode name of a Latin letter spells its base: "LATIN SMALL LETTER E WITH ACUTE".
    guard let name = scalar.properties.name else { return [] }
    for prefix in ["LATIN SMALL LETTER ", "LATIN CAPITAL LETTER "] where name.hasPrefix(prefix) {
        let rest = name.dropFirst(prefix.count)
        let base = rest.split(separator: " ").first ?? ""
        // Single letters and ligatures such as AE and OE; longer words ("SHARP") are not letters.
        if (1...2).contains(base.count), base.allSatisfy({ $0.isASCII && $0.isLetter }) {
            return Array(base.lowercased().utf8)
        }
    }
    return []
}

extension UInt8 {
    var isLowercaseASCIILetter: Bool { self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z") }
    var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}
