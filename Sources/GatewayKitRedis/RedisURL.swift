import GatewayKit

/// The parts of a `redis://[[user]:password@]host[:port][/db]` URL.
struct RedisURL: Sendable, Equatable {
    var host: String
    var port: Int
    var username: String?
    var password: String?
    var database: Int

    init(host: String, port: Int, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    init(parsing url: String) throws(GatewayError) {
        let scheme = "redis://"
        guard url.hasPrefix(scheme) else {
            throw Self.invalid("the Redis URL must start with redis:// (TLS, rediss://, is not supported)")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        if rest.contains("?") || rest.contains("#") {
            throw Self.invalid("the Redis URL must not have a query or fragment; use redis://host:port/db")
        }
        // The user part ends at the last '@', so a password may itself contain '@' unescaped.
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let colon = userInfo.firstIndex(of: ":") else {
                throw Self.invalid("the Redis URL's user part needs a password: redis://[user]:password@host")
            }
            let user = try Self.percentDecoded(userInfo[..<colon])
            username = user.isEmpty ? nil : user
            password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
        } else {
            username = nil
            password = nil
        }
        let authority: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            if path.isEmpty {
                database = 0
            } else if let number = Int(path), number >= 0 {
                database = number
            } else {
                throw Self.invalid("the Redis URL's path must be a database number, as in redis://host:6379/0")
            }
        } else {
            authority = rest
            database = 0
        }
        (host, port) = try Self.hostAndPort(authority)
    }

    private static func hostAndPort(_ authority: Substring) throws(GatewayError) -> (String, Int) {
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("[") {
            // An IPv6 literal: [::1]:6379
            guard let close = authority.firstIndex(of: "]") else {
                throw invalid("the Redis URL's IPv6 host is missing its closing ']'")
            }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() } else if !after.isEmpty {
                throw invalid("the Redis URL has unexpected text after its host")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw invalid("the Redis URL has no host") }
        guard let portPart else { return (String(hostPart), 6379) }
        guard let port = Int(portPart), (1...65535).contains(port) else {
            throw invalid("the Redis URL's port must be a number from 1 to 65535")
        }
        return (String(hostPart), port)
    }

    private static func percentDecoded(_ text: Substring) throws(GatewayError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw invalid("the Redis URL's user part has a malformed %-escape")
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func invalid(_ message: String) -> GatewayError {
        GatewayError(.invalidRequest, message, field: "redis_url")
    }
}
