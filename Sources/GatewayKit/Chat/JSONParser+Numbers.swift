extension JSONByteReader {
    /// 2^53: from here on JSONDecoder reads an integral number written with a fraction or an
    /// exponent through `Decimal`; the fast path leaves those to it.
    private static let exactIntegerLimit = 9_007_199_254_740_992.0

    /// Reads a number the way `JSONValue(from:)` classifies it through JSONDecoder: `.int` when
    /// `Int` decoding succeeds (also for `1.0`, `1e2`), else `.double`.
    mutating func readNumber() throws -> JSONValue {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, Self.isDigit(bytes[index]) else { throw failure("a number without digits") }
        var magnitude: UInt64 = 0
        var overflow = false
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, Self.isDigit(bytes[index]) { throw failure("a number with a leading zero") }
        } else {
            while index < bytes.count, Self.isDigit(bytes[index]) {
                let (shifted, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                magnitude = sum
                overflow = overflow || overflowA || overflowB
                index += 1
            }
        }
        let (hasFraction, hasExponent) = try skipFractionAndExponent()
        let integral = !hasFraction && !hasExponent
        if integral && !overflow {
            // A Double field would read `-0` as -0.0 but JSONValue keeps .int(0): leave it to JSONDecoder.
            if negative && magnitude == 0 { throw failure("negative zero") }
            if !negative && magnitude <= UInt64(Int.max) { return .int(Int(magnitude)) }
            if negative && magnitude <= UInt64(Int.max) { return .int(-Int(magnitude)) }
            if negative && magnitude == UInt64(Int.max) + 1 { return .int(Int.min) }
        }
        let double = try readDouble(from: start)
        if integral { return .double(double) }
        if double == 0 && double.sign == .minus { throw failure("negative zero") }
        // JSONDecoder refuses zero with an exponent (`0e5`, an underflowing `1e-400`) as a Double.
        if double == 0 && hasExponent { throw failure("zero with an exponent") }
        if double.rounded(.towardZero) == double {
            guard double.magnitude < Self.exactIntegerLimit else { throw failure("a large integral number") }
            return .int(Int(double))
        }
        return .double(double)
    }

    /// Skips an optional fraction and exponent; whether each was there.
    private mutating func skipFractionAndExponent() throws -> (fraction: Bool, exponent: Bool) {
        var fraction = false
        var exponent = false
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            fraction = true
            index += 1
            try skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            exponent = true
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            try skipDigits()
        }
        return (fraction, exponent)
    }

    private mutating func skipDigits() throws {
        guard index < bytes.count, Self.isDigit(bytes[index]) else { throw failure("a number missing digits") }
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }

    private func readDouble(from start: Int) throws -> Double {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw failure("a number out of Double's range") }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
