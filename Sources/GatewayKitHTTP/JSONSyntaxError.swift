/// Finds where a JSON text first breaks the grammar, for a 400 that says where. Foundation's
/// decoder reports only that the data is not valid JSON; this scan runs only on that error path.
struct JSONSyntaxError: Equatable, CustomStringConvertible {
    /// 1-based line.
    var line: Int
    /// 1-based column, in bytes.
    var column: Int
    /// What was wrong there.
    var problem: String

    var description: String { "\(problem) at line \(line), column \(column)" }

    /// The first syntax error in `bytes`, or `nil` when they are one valid JSON value.
    static func find(in bytes: [UInt8]) -> JSONSyntaxError? {
        var scanner = Scanner(bytes: bytes)
        do throws(JSONSyntaxError) {
            try scanner.value(depth: 0)
            scanner.skipWhitespace()
            if scanner.index < bytes.count { throw scanner.failure("unexpected content after the JSON value") }
            return nil
        } catch {
            return error
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        func failure(_ problem: String) -> JSONSyntaxError {
            let before = bytes[..<min(index, bytes.count)]
            let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            return JSONSyntaxError(line: line, column: index - lineStart + 1, problem: problem)
        }

        func unexpected(_ expected: String) -> JSONSyntaxError {
            guard index < bytes.count else { return failure("unexpected end of input, expected \(expected)") }
            let byte = bytes[index]
            let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte \(byte)"
            return failure("unexpected \(shown), expected \(expected)")
        }

        mutating func expect(_ byte: UInt8, _ expected: String) throws(JSONSyntaxError) {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte else { throw unexpected(expected) }
            index += 1
        }

        mutating func value(depth: Int) throws(JSONSyntaxError) {
            skipWhitespace()
            guard depth < 512 else { throw failure("nesting deeper than 512 levels") }
            guard index < bytes.count else { throw unexpected("a value") }
            switch bytes[index] {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw unexpected("a value")
            }
        }

        mutating func object(depth: Int) throws(JSONSyntaxError) {
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw unexpected("a quoted key") }
                try string()
                try expect(UInt8(ascii: ":"), "':'")
                try value(depth: depth + 1)
                skipWhitespace()
                guard index < bytes.count else { throw unexpected("',' or '}'") }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return
                }
                try expect(UInt8(ascii: ","), "',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(JSONSyntaxError) {
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                try value(depth: depth + 1)
                skipWhitespace()
                guard index < bytes.count else { throw unexpected("',' or ']'") }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return
                }
                try expect(UInt8(ascii: ","), "',' or ']'")
            }
        }

        mutating func string() throws(JSONSyntaxError) {
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return
                }
                if byte < 0x20 { throw failure("a control character inside a string") }
                index += byte == UInt8(ascii: "\\") ? 2 : 1
            }
            throw failure("unterminated string")
        }

        mutating func literal(_ word: String) throws(JSONSyntaxError) {
            for expected in word.utf8 {
                guard index < bytes.count, bytes[index] == expected else { throw unexpected("'\(word)'") }
                index += 1
            }
        }

        mutating func number() throws(JSONSyntaxError) {
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            try digits()
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                try digits()
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                try digits()
            }
        }

        mutating func digits() throws(JSONSyntaxError) {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            if index == start { throw unexpected("a digit") }
        }
    }
}

extension JSONSyntaxError: Error {}
