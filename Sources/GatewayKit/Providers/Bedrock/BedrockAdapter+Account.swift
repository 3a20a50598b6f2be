#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension BedrockAdapter {
    /// Where and as whom a Bedrock call is made: read from the key's secret and settings.
    struct Account: Sendable {
        var credentials: SigV4Signer.Credentials
        var region: String
        /// `https` or `http`.
        var scheme: String
        /// The `host` header: the host, with the port when it is not the scheme's default.
        var host: String
        /// A path prefix from a custom base URL, without a trailing slash; usually empty.
        var basePath: String
    }

    private struct SecretFields: Decodable {
        var accessKeyID: String
        var secretAccessKey: String
        var sessionToken: String?

        enum CodingKeys: String, CodingKey {
            case accessKeyID = "access_key_id"
            case secretAccessKey = "secret_access_key"
            case sessionToken = "session_token"
        }
    }

    static let secretShape = #"{"access_key_id", "secret_access_key", "session_token"?}"#

    /// Reads the account of `call`.
    /// - Throws: `GatewayError` `invalidRequest` naming `secret`, `region` or `base_url` when the
    ///   key cannot sign a Bedrock request. The secret is never part of the message.
    static func account(for call: ProviderCall) throws(GatewayError) -> Account {
        let credentials = try credentials(from: call.secret)
        let settings = call.settings
        guard let region = settings.region?.trimmingWhitespace(), !region.isEmpty else {
            throw GatewayError.invalid("region", "a Bedrock API key needs settings.region (for example us-east-1)")
        }
        guard region.utf8.allSatisfy({ isRegionByte($0) }) else {
            throw GatewayError.invalid("region", "Bedrock region '\(region)' may only contain a-z, 0-9 and '-'")
        }
        let base = settings.baseURL ?? "https://bedrock-runtime.\(region).amazonaws.com"
        let (scheme, host, basePath) = try origin(of: base)
        return Account(credentials: credentials, region: region, scheme: scheme, host: host, basePath: basePath)
    }

    /// The credentials in a key's secret.
    /// - Throws: `GatewayError` `invalidRequest` naming `secret`, without echoing it.
    static func credentials(from secret: Secret?) throws(GatewayError) -> SigV4Signer.Credentials {
        guard let secret, !secret.isEmpty else {
            throw GatewayError.invalid("secret", "a Bedrock API key needs a secret: JSON \(secretShape)")
        }
        // The decoding error is dropped on purpose: its description can quote the secret.
        guard let fields = try? JSONDecoder().decode(SecretFields.self, from: Data(secret.reveal().utf8)),
            !fields.accessKeyID.isEmpty, !fields.secretAccessKey.isEmpty
        else {
            throw GatewayError.invalid(
                "secret", "a Bedrock API key's secret must be JSON \(secretShape) with non-empty access key fields"
            )
        }
        let token = fields.sessionToken.flatMap { $0.isEmpty ? nil : Secret($0) }
        return SigV4Signer.Credentials(
            accessKeyID: fields.accessKeyID, secretAccessKey: Secret(fields.secretAccessKey), sessionToken: token
        )
    }

    private static func isRegionByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-")
    }

    /// Splits a base URL (`https://host[:port][/prefix]`) into scheme, `host` header and path prefix.
    private static func origin(of base: String) throws(GatewayError) -> (String, String, String) {
        let trimmed = base.trimmingWhitespace()
        guard let separator = trimmed.firstRange(of: "://") else {
            throw GatewayError.invalid("base_url", "Bedrock base_url '\(trimmed)' must start with https:// or http://")
        }
        let scheme = trimmed[..<separator.lowerBound].lowercased()
        let rest = trimmed[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = String(rest[..<authorityEnd]).lowercased()
        var path = String(rest[authorityEnd...])
        guard scheme == "https" || scheme == "http", !authority.isEmpty, !authority.contains("@"),
            !path.contains("?"), !path.contains("#")
        else {
            throw GatewayError.invalid(
                "base_url",
                "Bedrock base_url '\(trimmed)' must be an origin such as https://bedrock-runtime.us-east-1.amazonaws.com"
            )
        }
        // The signed host must be what the HTTP client sends, which omits the default port.
        let defaultPort = scheme == "https" ? ":443" : ":80"
        if authority.hasSuffix(defaultPort) { authority.removeLast(defaultPort.count) }
        while path.hasSuffix("/") { path.removeLast() }
        return (scheme, authority, path)
    }
}
