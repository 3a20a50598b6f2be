import Foundation
import GatewayKit
import Testing

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    private func parse(bytes: [UInt8]) throws -> JSONValue {
        try JSONParser.parse(bytes)
    }

    private func foundation(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// Asserts the parser gives `expected` and that JSONDecoder agrees.
    private func expectAgreement(
        _ text: String, _ expected: JSONValue, sourceLocation: SourceLocation = #_sourceLocation
    )
        throws
    {
        #expect(try parse(text) == expected, sourceLocation: sourceLocation)
        #expect(foundation(Array(text.utf8)) == expected, sourceLocation: sourceLocation)
    }

    @Test("reads objects, arrays, literals and whitespace between every token")
    func structure() throws {
        try expectAgreement(
            " \n\t{ \"a\" : [ 1 , true , false , null , { } , [ ] ] ,\r\n\"b\":\"c\" } \n",
            .object([
                "a": .array([.int(1), .bool(true), .bool(false), .null, .object([:]), .array([])]), "b": .string("c"),
            ])
        )
        try expectAgreement("\"top\"", .string("top"))
        try expectAgreement("null", .null)
    }

    @Test("decodes every escape")
    func escapes() throws {
        try expectAgreement(#""\" \\ \/ \b \f \n \r \t""#, .string("\" \\ / \u{8} \u{C} \n \r \t"))
        try expectAgreement(#""\u0041\u00e9\u00E9\u20ac\u0000""#, .string("Aéé€\u{0}"))
        try expectAgreement(#""plain é then \n""#, .string("plain é then \n"))
    }

    @Test("joins surrogate pairs and rejects lone surrogates")
    func surrogates() throws {
        try expectAgreement(#""\ud83d\ude00""#, .string("😀"))
        try expectAgreement(#""x\uD834\uDD1Ey""#, .string("x𝄞y"))
        for text in [#""\ud800""#, #""\udc00""#, #""\ud800x""#, #""\ud800\u0041""#, #""\ud800\""#] {
            #expect(throws: GatewayError.self) { try parse(text) }
            #expect(foundation(Array(text.utf8)) == nil)
        }
    }

    @Test("rejects raw control characters, unknown escapes and invalid UTF-8 in strings, as JSONDecoder does")
    func badStrings() {
        let inputs: [[UInt8]] = [
            [0x22, 0x09, 0x22], [0x22, 0x0A, 0x22], [0x22, 0x00, 0x22], [0x22, 0x1F, 0x22],
            [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0x80, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D],
            Array(#""\x""#.utf8), Array(#""\U00e9""#.utf8), Array(#""\u00g9""#.utf8), Array(#""abc"#.utf8),
        ]
        for bytes in inputs {
            #expect(throws: GatewayError.self) { try parse(bytes: bytes) }
            #expect(foundation(bytes) == nil)
        }
        #expect(throws: Never.self) { try parse(bytes: [0x22, 0x7F, 0xC3, 0xA9, 0x22]) }
    }

    @Test("classifies numbers as JSONValue(from:) does through JSONDecoder")
    func numbers() throws {
        let cases: [(String, JSONValue)] = [
            ("0", .int(0)), ("-3", .int(-3)), ("1.0", .int(1)), ("1e2", .int(100)), ("1E+2", .int(100)),
            ("100e-2", .int(1)), ("0.1e1", .int(1)), ("0.0", .int(0)), ("1.5", .double(1.5)),
            ("-2.5", .double(-2.5)), ("1.25e1", .double(12.5)), ("4.9e-324", .double(.leastNonzeroMagnitude)),
            ("9223372036854775807", .int(Int.max)), ("-9223372036854775808", .int(Int.min)),
            ("9223372036854775808", .double(9_223_372_036_854_775_808)),
            ("12345678901234567890", .double(12_345_678_901_234_567_168)),
        ]
        for (text, expected) in cases {
            try expectAgreement(text, expected)
        }
    }

    @Test("leaves numbers whose JSONDecoder reading it does not mirror to the fallback")
    func numbersLeftToJSONDecoder() {
        // -0 is .int(0) through JSONValue but -0.0 in a Double field; zero with an exponent is
        // .int(0) but no Double at all; from 2^53 up, integral numbers with a fraction or an
        // exponent go through Decimal in JSONDecoder.
        for text in ["-0", "-0.0", "-1e-400", "1e-400", "0e5", "2.5e18", "1E19", "1.7976931348623157e308"] {
            #expect(throws: GatewayError.self) { try parse(text) }
            #expect(foundation(Array(text.utf8)) != nil)
        }
        for text in ["1e400", "-1e400", "1.7976931348623159e308", String(repeating: "9", count: 400)] {
            #expect(throws: GatewayError.self) { try parse(text) }
            #expect(foundation(Array(text.utf8)) == nil)
        }
    }

    @Test("rejects malformed numbers and leading zeros")
    func malformedNumbers() {
        for text in ["01", "-01", "00", "1.", "-", ".5", "+1", "1e", "1e+", "-a", "1.e2", "0x10"] {
            #expect(throws: GatewayError.self) { try parse(text) }
            #expect(foundation(Array(text.utf8)) == nil)
        }
    }

    @Test("rejects empty input, trailing garbage, trailing commas and bad literals")
    func malformedStructure() {
        for text in [
            "", " ", "\n\t", "{} x", "[1 2]", "tru", "nul", "{\"a\"}", "{\"a\":}", "[", "{", "{1:2}", "\u{0C}{}",
        ] {
            #expect(throws: GatewayError.self) { try parse(text) }
            #expect(foundation(Array(text.utf8)) == nil)
        }
        // JSONDecoder tolerates trailing commas; the fast parser leaves them to it.
        for text in ["[1,]", "{\"a\":1,}"] {
            #expect(throws: GatewayError.self) { try parse(text) }
        }
    }

    @Test("leaves duplicate keys to JSONDecoder")
    func duplicateKeys() {
        #expect(throws: GatewayError.self) { try parse(#"{"a":1,"a":2}"#) }
    }

    @Test("accepts 512 levels of nesting and rejects deeper input without overflowing the stack")
    func depth() throws {
        for (open, close) in [("[", "]"), ("{\"k\":", "}")] {
            let inner = open == "[" ? "" : "1"
            let ok = String(repeating: open, count: 512) + inner + String(repeating: close, count: 512)
            #expect(throws: Never.self) { try parse(ok) }
            #expect(foundation(Array(ok.utf8)) != nil)
            let deep = String(repeating: open, count: 513) + inner + String(repeating: close, count: 513)
            #expect(throws: GatewayError.self) { try parse(deep) }
            #expect(foundation(Array(deep.utf8)) == nil)
        }
        let huge = String(repeating: "[", count: 200_000)
        #expect(throws: GatewayError.self) { try parse(huge) }
    }

    @Test("reads collections without contiguous storage")
    func nonContiguous() throws {
        let bytes = Array(#"{"a":[1,"é"]}"#.utf8).lazy.filter { _ in true }
        #expect(try JSONParser.parse(bytes) == .object(["a": .array([.int(1), .string("é")])]))
    }
}
