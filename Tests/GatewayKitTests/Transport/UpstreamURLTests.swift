import Testing

@testable import GatewayKit

@Suite struct UpstreamURLTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var url: String
        var isTLS: Bool
        var host: String
        var port: Int
        var target: String
        var hostHeader: String
        var isIP: Bool
        var testDescription: String { url }
    }

    static let valid: [Case] = [
        Case(
            url: "http://example.com", isTLS: false, host: "example.com", port: 80, target: "/",
            hostHeader: "example.com", isIP: false),
        Case(
            url: "https://API.Example.com:8443/v1/chat?x=1&y=2", isTLS: true, host: "api.example.com", port: 8443,
            target: "/v1/chat?x=1&y=2", hostHeader: "api.example.com:8443", isIP: false
        ),
        Case(
            url: "HTTPS://example.com:443/a", isTLS: true, host: "example.com", port: 443, target: "/a",
            hostHeader: "example.com", isIP: false),
        Case(
            url: "http://example.com:80/", isTLS: false, host: "example.com", port: 80, target: "/",
            hostHeader: "example.com", isIP: false),
        Case(
            url: "http://127.0.0.1:8080/v1", isTLS: false, host: "127.0.0.1", port: 8080, target: "/v1",
            hostHeader: "127.0.0.1:8080", isIP: true),
        Case(
            url: "http://[::1]:9000/x", isTLS: false, host: "::1", port: 9000, target: "/x", hostHeader: "[::1]:9000",
            isIP: true),
        Case(
            url: "https://[2001:db8::1]/", isTLS: true, host: "2001:db8::1", port: 443, target: "/",
            hostHeader: "[2001:db8::1]", isIP: true),
        Case(
            url: "http://example.com?q=1", isTLS: false, host: "example.com", port: 80, target: "/?q=1",
            hostHeader: "example.com", isIP: false),
        Case(
            url: "http://example.com/a?b=c#frag", isTLS: false, host: "example.com", port: 80, target: "/a?b=c",
            hostHeader: "example.com", isIP: false),
        Case(
            url: "https://my-host_1.internal:1/", isTLS: true, host: "my-host_1.internal", port: 1, target: "/",
            hostHeader: "my-host_1.internal:1", isIP: false),
    ]

    @Test("valid http(s) URLs split into scheme, host, port, target and Host header", arguments: valid)
    func parsesValidURL(expected: Case) throws {
        let url = try #require(UpstreamURL(expected.url))
        #expect(url.origin.isTLS == expected.isTLS)
        #expect(url.origin.host == expected.host)
        #expect(url.origin.port == expected.port)
        #expect(url.target == expected.target)
        #expect(url.hostHeader == expected.hostHeader)
        #expect(UpstreamURL.isIPAddress(url.origin.host) == expected.isIP)
    }

    @Test(
        "invalid URLs are refused",
        arguments: [
            "not a url", "", "ftp://example.com/", "http://", "http:/example.com", "http://:80/", "http://host:0/",
            "http://host:65536/", "http://host:abc/", "http://host:/", "http://user@host/", "http://[::1/",
            "http://[::1]x/", "https://[zz]/", "http://exa mple.com/", "http://host/pa th", "http://hö.st/",
        ]
    )
    func refusesInvalidURL(url: String) {
        #expect(UpstreamURL(url) == nil)
    }
}
