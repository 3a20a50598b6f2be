import Foundation
import GatewayKit
import GatewayKitTesting
import Testing
import _CryptoExtras

/// The service-account JWT and its exchange at the token endpoint, observed on a local server.
@Suite struct ServiceAccountTests {
    static func base64URLDecoded(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    func adapter() -> VertexAIAdapter {
        VertexAIAdapter(clock: ManualClock(), now: { VertexFixtures.issuedAt })
    }

    @Test("exchanges an RS256 JWT, verifiable with the public key, for an access token")
    func jwtExchange() async throws {
        let server = try await VertexFixtures.tokenServer()
        defer { Task { try? await server.shutdown() } }
        let tokenURI = server.baseURL + "/token"
        let call = VertexFixtures.call(secret: VertexFixtures.serviceAccount(tokenURI: tokenURI))
        let authorized = try await adapter().authorize(call, transport: HTTPClientTransport())
        #expect(authorized.accessToken?.reveal() == "ya29.token-1")
        #expect(authorized.secret == call.secret)

        let sent = try #require(server.requests.first)
        #expect(sent.method == "POST")
        #expect(sent.header("content-type") == "application/x-www-form-urlencoded")
        #expect(sent.form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer")
        let jwt = try #require(sent.form["assertion"])
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        #expect(!jwt.contains("="))
        let header = GoogleFixtures.json(String(decoding: try #require(Self.base64URLDecoded(parts[0])), as: UTF8.self))
        #expect(header == GoogleFixtures.json(#"{"alg":"RS256","typ":"JWT","kid":"kid-0123456789"}"#))
        let claims = GoogleFixtures.json(String(decoding: try #require(Self.base64URLDecoded(parts[1])), as: UTF8.self))
        #expect(
            claims
                == .object([
                    "iss": .string(VertexFixtures.clientEmail),
                    "scope": .string("https://www.googleapis.com/auth/cloud-platform"),
                    "aud": .string(tokenURI), "iat": .int(1_700_000_000), "exp": .int(1_700_003_600),
                ])
        )
        let signature = _RSA.Signing.RSASignature(rawRepresentation: try #require(Self.base64URLDecoded(parts[2])))
        let signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        #expect(
            VertexFixtures.privateKey.publicKey.isValidSignature(
                signature, for: signingInput, padding: .insecurePKCS1v1_5))
        #expect(
            !VertexFixtures.privateKey.publicKey.isValidSignature(
                signature, for: Data("tampered".utf8), padding: .insecurePKCS1v1_5))
    }

    @Test("a secret that is not a usable service account is a credential failure that quotes nothing")
    func badSecrets() async throws {
        let pem = VertexFixtures.privateKey.pkcs8PEMRepresentation
        let secrets = [
            "not json at all sk-secret-value",
            #"{"client_email":"a@b.c"}"#,
            #"{"client_email":"a@b.c","private_key":"-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"}"#,
            #"{"private_key":"\#(pem.replacingOccurrences(of: "\n", with: "\\n"))"}"#,
        ]
        for secret in secrets {
            let error = await gatewayError {
                _ = try await adapter().authorize(VertexFixtures.call(secret: secret), transport: HTTPClientTransport())
            }
            #expect(error?.code == .upstreamAuthFailed)
            #expect(error?.failureClass == .credential)
            let shown = [error?.description, error?.debugDescription, error?.message].compactMap { $0 }.joined()
            #expect(!shown.contains("sk-secret-value"))
            #expect(!shown.contains("bm90IGEga2V5"))
            #expect(!shown.contains(VertexFixtures.privateKeyBody.prefix(40)))
        }
    }

    @Test(
        "a refused exchange is a credential failure naming no key, JWT or token",
        arguments: [
            (400, #"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#),
            (
                401,
                #"{"error":"unauthorized_client","error_description":"Client is unauthorized to retrieve access tokens."}"#
            ),
            (200, "this is not json"),
            (200, #"{"token_type":"Bearer"}"#),
        ]
    )
    func refused(status: Int, body: String) async throws {
        let server = try await VertexFixtures.tokenServer(token: { _, request in
            // A hostile endpoint that echoes the assertion back must not get it into the error either.
            .json(
                body.replacingOccurrences(
                    of: "Invalid JWT Signature.", with: "bad assertion \(request.form["assertion"] ?? "")"),
                status: status)
        })
        defer { Task { try? await server.shutdown() } }
        let call = VertexFixtures.call(secret: VertexFixtures.serviceAccount(tokenURI: server.baseURL + "/token"))
        let error = await gatewayError { _ = try await adapter().authorize(call, transport: HTTPClientTransport()) }
        #expect(error?.code == .upstreamAuthFailed)
        #expect(error?.upstreamStatus == status)
        let jwt = try #require(server.requests.first?.form["assertion"])
        let shown = [error?.description, error?.debugDescription, error?.message].compactMap { $0 }.joined()
        #expect(!shown.contains(jwt.split(separator: ".")[2]))
        #expect(!shown.contains(VertexFixtures.privateKeyBody.prefix(40)))
        #expect(shown.contains("vertex_ai"))
    }

    @Test("a token endpoint that fails with 5xx is transient, so the router may fall back")
    func serverFailure() async throws {
        let server = try await VertexFixtures.tokenServer(token: { _, _ in
            .json(#"{"error":"internal_failure"}"#, status: 503)
        })
        defer { Task { try? await server.shutdown() } }
        let call = VertexFixtures.call(secret: VertexFixtures.serviceAccount(tokenURI: server.baseURL + "/token"))
        let error = await gatewayError { _ = try await adapter().authorize(call, transport: HTTPClientTransport()) }
        #expect(error?.code == .upstream)
        #expect(error?.upstreamStatus == 503)
    }
}
