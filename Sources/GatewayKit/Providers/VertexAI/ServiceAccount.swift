import HTTPTypes
import NIOCore
import _CryptoExtras

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Google service account read from its JSON key file, and the OAuth 2.0 JWT-bearer exchange
/// that turns it into an access token. Nothing here ever puts the private key, the signed
/// assertion or the access token into an error message.
struct ServiceAccount: Sendable {
    static let scope = "https://www.googleapis.com/auth/cloud-platform"
    static let defaultTokenURI = "https://oauth2.googleapis.com/token"
    static let grantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    static let lifetime = 3600

    var clientEmail: String
    var privateKeyID: String?
    var tokenURI: String
    // Kept as a redacting Secret and parsed only when a token is due, so a cached token costs
    // no RSA key parsing.
    private var privateKeyPEM: Secret

    private struct File: Decodable {
        var client_email: String?
        var private_key: String?
        var private_key_id: String?
        var token_uri: String?
    }

    /// Reads the service-account JSON held as a key's secret.
    init(secret: Secret) throws(GatewayError) {
        // Decoding errors can quote the input, so none is kept as the underlying error.
        guard let file = try? JSONDecoder().decode(File.self, from: Data(secret.reveal().utf8)),
            let email = file.client_email, !email.isEmpty, let pem = file.private_key
        else {
            throw GatewayError(
                .upstreamAuthFailed,
                "vertex_ai: the API key's secret must be a service-account JSON with client_email and private_key"
            )
        }
        self.clientEmail = email
        self.privateKeyID = file.private_key_id
        self.tokenURI = file.token_uri.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultTokenURI
        self.privateKeyPEM = Secret(pem)
    }

    /// The signed JWT asserting this account, issued at `issuedAt` (Unix seconds), valid one hour.
    func assertion(issuedAt: Int) throws(GatewayError) -> String {
        guard let privateKey = try? _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM.reveal()) else {
            throw GatewayError(
                .upstreamAuthFailed,
                "vertex_ai: the service account's private_key is not an RSA private key (PEM, 2048 bits or more)"
            )
        }
        var header: [String: JSONValue] = ["alg": .string("RS256"), "typ": .string("JWT")]
        if let privateKeyID { header["kid"] = .string(privateKeyID) }
        let claims: [String: JSONValue] = [
            "iss": .string(clientEmail), "scope": .string(Self.scope), "aud": .string(tokenURI),
            "iat": .int(issuedAt), "exp": .int(issuedAt + Self.lifetime),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            let signingInput =
                Self.base64URL(try encoder.encode(JSONValue.object(header))) + "."
                + Self.base64URL(try encoder.encode(JSONValue.object(claims)))
            let signature = try privateKey.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
            return signingInput + "." + Self.base64URL(signature.rawRepresentation)
        } catch {
            throw GatewayError(.upstreamAuthFailed, "vertex_ai: the service-account assertion could not be signed")
        }
    }

    static func base64URL(_ data: Data) -> String {
        String(
            data.base64EncodedString().compactMap { character -> Character? in
                switch character {
                case "+": "-"
                case "/": "_"
                case "=": nil
                default: character
                }
            }
        )
    }
}

extension ServiceAccount {
    /// An access token and how long it lives.
    struct AccessToken: Sendable {
        var value: Secret
        var lifetime: Duration
    }

    /// Exchanges a fresh assertion for an access token at ``tokenURI``.
    /// - Throws: `GatewayError` `upstreamAuthFailed` when the token endpoint refuses the assertion
    ///   or answers something that is not a token; `upstream`/`upstreamTimeout` when it cannot be
    ///   reached or fails (5xx); `upstreamRateLimited` on 429.
    func fetchToken(issuedAt: Int, transport: any HTTPTransport, timeout: Duration) async throws -> AccessToken {
        let jwt = try assertion(issuedAt: issuedAt)
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers[.accept] = "application/json"
        let form = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=\(jwt)"
        let response = try await transport.send(
            UpstreamRequest(url: tokenURI, headers: headers, body: ByteBuffer(string: form)), timeout: timeout
        )
        let json = try? JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView))
        guard (200..<300).contains(response.status) else {
            throw refusal(status: response.status, json: json, jwt: jwt)
        }
        guard let token = json?["access_token"]?.stringValue, !token.isEmpty else {
            throw GatewayError(
                .upstreamAuthFailed, "vertex_ai: the token endpoint's answer has no access_token",
                upstreamStatus: response.status
            )
        }
        // `expires_in` is a number, or a numeric string on some servers.
        let seconds =
            json?["expires_in"]?.intValue ?? json?["expires_in"]?.stringValue.flatMap { Int($0) } ?? Self.lifetime
        return AccessToken(value: Secret(token), lifetime: .seconds(max(seconds, 0)))
    }

    private func refusal(status: Int, json: JSONValue?, jwt: String) -> GatewayError {
        var reason = json?["error"]?.stringValue ?? json?["error"]?["status"]?.stringValue ?? "HTTP \(status)"
        // The description is the server's; keep it only when it does not echo what was sent.
        if let description = json?["error_description"]?.stringValue ?? json?["error"]?["message"]?.stringValue,
            !jwt.split(separator: ".").contains(where: { description.contains($0) })
        {
            reason += ": " + String(description.prefix(300))
        }
        let message = "vertex_ai: the token endpoint refused service account \(clientEmail) (HTTP \(status), \(reason))"
        switch status {
        case 429: return GatewayError(.upstreamRateLimited, message, upstreamStatus: status)
        case 408, 504: return GatewayError(.upstreamTimeout, message, upstreamStatus: status)
        case 500...: return GatewayError(.upstream, message, upstreamStatus: status)
        default: return GatewayError(.upstreamAuthFailed, message, upstreamStatus: status)
        }
    }
}
