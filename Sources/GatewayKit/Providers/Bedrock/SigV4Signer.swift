import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// AWS Signature Version 4 for requests signed in the `Authorization` header.
///
/// Pure: the signing time is a parameter, so the same inputs always give the same signature and
/// tests reproduce AWS's published vectors. The secret key and session token are only read to
/// derive the signing key and to send the token; they never appear in what this type describes.
struct SigV4Signer: Sendable {
    /// An AWS access key.
    struct Credentials: Sendable {
        /// The access key id (`AKIA…`); not secret.
        var accessKeyID: String
        /// The secret access key.
        var secretAccessKey: Secret
        /// The session token of temporary credentials.
        var sessionToken: Secret?
    }

    /// What is signed: the method, where it goes, the headers to sign and the body.
    struct Request: Sendable {
        /// `GET`, `POST`, ….
        var method: String
        /// The `host` header as sent: the host, with `:port` when it is not the scheme's default.
        var host: String
        /// The path exactly as sent on the wire, already percent-encoded.
        var path: String
        /// Query parameters, not yet encoded.
        var query: [(name: String, value: String)] = []
        /// Headers to sign besides `host` and the ones the signer adds.
        var headers: [(name: String, value: String)] = []
        /// The body.
        var body: [UInt8] = []
    }

    /// The result of signing.
    struct Signature: Sendable {
        /// The canonical request, lines joined by `\n`.
        var canonicalRequest: String
        /// The string to sign.
        var stringToSign: String
        /// The hex signature.
        var signature: String
        /// The `Authorization` header value.
        var authorization: String
        /// The headers to send besides the request's own: `x-amz-date`, `x-amz-security-token`
        /// when there is a session token, `x-amz-content-sha256` when asked for, `authorization`.
        var headers: [(name: String, value: String)]
    }

    /// Headers botocore never signs, because proxies and clients may change them.
    private static let unsignedHeaders: Set<String> = [
        "authorization", "user-agent", "expect", "connection", "transfer-encoding", "x-amzn-trace-id",
    ]

    var credentials: Credentials
    var region: String
    var service: String
    /// Whether to send and sign `x-amz-content-sha256`; S3 needs it, most services do not.
    var includesContentHash = false

    /// Signs `request` as made at `date`.
    func sign(_ request: Request, at date: Date) -> Signature {
        let (amzDate, day) = Self.timestamps(date)
        let payloadHash = Self.hexSHA256(request.body)
        var added: [(name: String, value: String)] = [("x-amz-date", amzDate)]
        if includesContentHash { added.append(("x-amz-content-sha256", payloadHash)) }
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token.reveal())) }

        var signed: [String: String] = ["host": Self.normalized(request.host)]
        for (name, value) in request.headers + added {
            let name = name.lowercased()
            guard !Self.unsignedHeaders.contains(name) else { continue }
            let value = Self.normalized(value)
            // Repeated headers are signed as one, values joined by commas.
            signed[name] = signed[name].map { $0 + "," + value } ?? value
        }
        let names = signed.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let canonicalRequest = [
            request.method.uppercased(),
            Self.encode(request.path, keepingSlash: true),
            Self.canonicalQuery(request.query),
            names.map { "\($0):\(signed[$0] ?? "")\n" }.joined(),
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope, Self.hexSHA256(Array(canonicalRequest.utf8)),
        ].joined(separator: "\n")
        let signature = Self.hex(Self.hmac(signingKey(day: day), Array(stringToSign.utf8)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            authorization: authorization, headers: added + [("authorization", authorization)]
        )
    }

    /// The derived key for `day` (`YYYYMMDD`): HMAC-SHA256 chained over the day, region,
    /// service and `aws4_request`, starting from `"AWS4" + secret`.
    func signingKey(day: String) -> [UInt8] {
        var key = Array(("AWS4" + credentials.secretAccessKey.reveal()).utf8)
        for part in [day, region, service, "aws4_request"] {
            key = Self.hmac(key, Array(part.utf8))
        }
        return key
    }
}

extension SigV4Signer {
    /// `x-amz-date` (`YYYYMMDD'T'HHMMSS'Z'`) and the day (`YYYYMMDD`) of `date`, in UTC.
    static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let dayString = pad(year, 4) + pad(month, 2) + pad(day, 2)
        let time = pad(secondOfDay / 3600, 2) + pad(secondOfDay % 3600 / 60, 2) + pad(secondOfDay % 60, 2)
        return (dayString + "T" + time + "Z", dayString)
    }

    // Howard Hinnant's days-to-civil algorithm for the proleptic Gregorian calendar.
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Percent-encodes everything but `A-Z a-z 0-9 - . _ ~` (and `/` when `keepingSlash`), as
    /// SigV4 requires; `%` itself is encoded, so an already-encoded path is encoded again.
    static func encode(_ text: String, keepingSlash: Bool) -> String {
        let hexDigits = Array("0123456789ABCDEF")
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: "/") where keepingSlash:
                out.append("/")
            default:
                out.append("%")
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    private static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { pair in
            (encode(pair.name, keepingSlash: false), encode(pair.value, keepingSlash: false))
        }
        let sorted = encoded.sorted { lhs, rhs in
            lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name
        }
        return sorted.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    /// Trims the value and collapses runs of spaces, as the canonical headers require.
    private static func normalized(_ value: String) -> String {
        value.trimmingWhitespace().split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    static func hexSHA256(_ bytes: [UInt8]) -> String {
        hex(Array(SHA256.hash(data: bytes)))
    }

    private static func hmac(_ key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return out
    }
}
