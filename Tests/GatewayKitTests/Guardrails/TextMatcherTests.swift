import Testing

@testable import GatewayKit

@Suite struct TermMatcherTests {
    @Test("terms match case-insensitively as whole words only")
    func wholeWords() throws {
        let matcher = try #require(try TermMatcher(terms: ["cat", "New York", "c++"]))
        let text = "A CAT in new york; concat, cats and catalog are fine; so is C++."
        #expect(matcher.matches(in: text).map { String(text[$0.range]) } == ["CAT", "new york", "C++"])
    }

    @Test("an empty term list compiles to nothing")
    func empty() throws {
        #expect(try TermMatcher(terms: ["  ", ""]) == nil)
    }
}
