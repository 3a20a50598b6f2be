/// An absolute `http` or `https` URL taken apart for one HTTP/1.1 request, without Foundation's `URL`.
///
/// Accepts `scheme://host[:port][/path][?query]` where host is a name, an IPv4 address or an IPv6
/// literal in brackets. User info and fragments are refused or dropped the way an HTTP client sends
/// them: a fragment never goes on the wire, user info is not supported.
struct UpstreamURL: Hashable, Sendable {
    /// Where a pooled connection goes: the same scheme, host and port share connections.
    struct Origin: Hashable, Sendable {
        var isTLS: Bool
        /// The host without brackets: what is resolved and, for names, sent as SNI.
        var host: String
        var port: Int
    }

    var origin: Origin
    /// The request target: the path and query, `/` when the URL has no path.
    var target: String
    /// The `Host` header value: the host (bracketed for IPv6) and the port unless it is the default.
    var hostHeader: String

    init?(_ string: String) {
        let isTLS: Bool
        var rest: Substring
        if let range = Self.dropPrefix("https://", of: string) {
            isTLS = true
            rest = string[range]
        } else if let range = Self.dropPrefix("http://", of: string) {
            isTLS = false
            rest = string[range]
        } else {
            return nil
        }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = String(rest[authorityEnd...])
        if target.isEmpty { target = "/" } else if target.first == "?" { target = "/" + target }
        guard let (host, port, isIPv6) = Self.splitAuthority(authority, defaultPort: isTLS ? 443 : 80) else {
            return nil
        }
        guard target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        self.origin = Origin(isTLS: isTLS, host: host, port: port)
        self.target = target
        let shownHost = isIPv6 ? "[\(host)]" : host
        self.hostHeader = port == (isTLS ? 443 : 80) ? shownHost : "\(shownHost):\(port)"
    }

    private static func dropPrefix(_ prefix: String, of string: String) -> Range<String.Index>? {
        let utf8 = string.utf8
        var index = utf8.startIndex
        for expected in prefix.utf8 {
            guard index < utf8.endIndex else { return nil }
            let byte = utf8[index]
            // Schemes are case-insensitive: fold ASCII letters to lower case.
            let lowered = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
            guard lowered == expected else { return nil }
            index = utf8.index(after: index)
        }
        return index..<string.endIndex
    }

    private static func splitAuthority(_ authority: Substring, defaultPort: Int) -> (String, Int, Bool)? {
        guard !authority.contains("@") else { return nil }
        var host: Substring
        var portText: Substring?
        var isIPv6 = false
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return nil }
                portText = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
            isIPv6 = true
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            } else {
                host = authority
            }
            let allowed = host.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x2E || byte == 0x5F
            }
            guard !host.isEmpty, allowed else { return nil }
        }
        var port = defaultPort
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, let value = Int(portText), value > 0, value <= 65535 else {
                return nil
            }
            port = value
        }
        return (isIPv6 ? String(host) : host.lowercased(), port, isIPv6)
    }

    /// Whether `host` (without brackets) is an IP literal rather than a name, which TLS must not
    /// send as SNI.
    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || isIPv4(host)
    }

    private static func isIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && (UInt8(part) != nil)
            }
    }
}
