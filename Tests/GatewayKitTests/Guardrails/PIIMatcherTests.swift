import Testing

@testable import GatewayKit

@Suite struct PIIMatcherTests {
    static func found(_ types: [GuardrailRule.PIIType], in text: String) throws -> [String] {
        let matcher = try #require(PIIMatcher(types: types))
        return matcher.matches(in: text).map { String(text[$0.range]) }
    }

    @Test("e-mail addresses are found, bare @ mentions are not")
    func email() throws {
        #expect(
            try Self.found([.email], in: "write to jane.doe+news@mail.example.co.uk today") == [
                "jane.doe+news@mail.example.co.uk"
            ])
        #expect(try Self.found([.email], in: "ping @jane or me@localhost") == [])
    }

    @Test("phone numbers with separators or a country code are found; plain numbers and dates are not")
    func phone() throws {
        #expect(try Self.found([.phone], in: "call +44 20 7946 0958 now") == ["+44 20 7946 0958"])
        #expect(try Self.found([.phone], in: "or (555) 123-4567.") == ["(555) 123-4567"])
        #expect(try Self.found([.phone], in: "US 555-123-4567") == ["555-123-4567"])
        #expect(try Self.found([.phone], in: "we sold 1234567 units on 2024-01-15") == [])
    }

    @Test("card numbers must pass Luhn; a 16-digit non-Luhn number is not a card")
    func card() throws {
        #expect(try Self.found([.card], in: "card 4111 1111 1111 1111 exp") == ["4111 1111 1111 1111"])
        #expect(try Self.found([.card], in: "card 5555-5555-5555-4444") == ["5555-5555-5555-4444"])
        #expect(try Self.found([.card], in: "pay 4111111111111111.") == ["4111111111111111"])
        #expect(try Self.found([.card], in: "order 4111111111111112") == [])
        #expect(try Self.found([.card], in: "id 1234567890123456") == [])
        #expect(try Self.found([.card], in: "twelve 411111111111") == [])
    }

    @Test("the Luhn and mod-97 checks on known numbers")
    func checks() {
        #expect(PIIPatterns.luhn([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]))
        #expect(!PIIPatterns.luhn([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 4]))
        #expect(PIIPatterns.mod97("GB82WEST12345698765432"))
        #expect(!PIIPatterns.mod97("GB82WEST12345698765433"))
    }

    @Test("IBANs must pass mod 97, grouped or not; a following upper-case word is not swallowed")
    func iban() throws {
        #expect(
            try Self.found([.iban], in: "IBAN DE89 3704 0044 0532 0130 00 please") == ["DE89 3704 0044 0532 0130 00"])
        #expect(try Self.found([.iban], in: "to GB82WEST12345698765432 OK") == ["GB82WEST12345698765432"])
        #expect(try Self.found([.iban], in: "to GB82WEST12345698765433") == [])
    }

    @Test("IPv4 octets must be at most 255; IPv6 full or compressed; versions and scopes are not addresses")
    func ip() throws {
        #expect(try Self.found([.ip], in: "host 192.168.1.20, gateway 10.0.0.1") == ["192.168.1.20", "10.0.0.1"])
        #expect(try Self.found([.ip], in: "bad 256.1.1.1 and version 1.2.3") == [])
        #expect(try Self.found([.ip], in: "v6 2001:db8::8a2e:370:7334 and ::1.") == ["2001:db8::8a2e:370:7334", "::1"])
        #expect(
            try Self.found([.ip], in: "full 2001:0db8:85a3:0000:0000:8a2e:0370:7334") == [
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334"
            ])
        #expect(try Self.found([.ip], in: "std::vector at 12:30:45") == [])
    }

    @Test("only the listed types are looked for")
    func onlyListed() throws {
        #expect(try Self.found([.email], in: "a@b.io 10.0.0.1") == ["a@b.io"])
        #expect(PIIMatcher(types: []) == nil)
    }
}
