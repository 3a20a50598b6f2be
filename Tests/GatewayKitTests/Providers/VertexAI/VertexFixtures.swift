import Foundation
import GatewayKit
import HTTPTypes
import NIOCore
import Synchronization
import _CryptoExtras

/// A throwaway service account and a local token endpoint for the Vertex AI tests.
enum VertexFixtures {
    // One key for the whole run: RSA generation is slow.
    static let privateKey: _RSA.Signing.PrivateKey = {
        do {
            return try _RSA.Signing.PrivateKey(keySize: .bits2048)
        } catch {
            preconditionFailure("could not generate a test RSA key: \(error)")
        }
    }()
    static let clientEmail = "gateway@test-project.iam.gserviceaccount.com"
    static let issuedAt = Date(timeIntervalSince1970: 1_700_000_000)

    static func serviceAccount(tokenURI: String, clientEmail: String = clientEmail) -> String {
        let file: JSONValue = .object([
            "type": .string("service_account"), "project_id": .string("test-project"),
            "private_key_id": .string("kid-0123456789"), "private_key": .string(privateKey.pkcs8PEMRepresentation),
            "client_email": .string(clientEmail), "token_uri": .string(tokenURI),
        ])
        return String(decoding: (try? JSONEncoder().encode(file)) ?? Data(), as: UTF8.self)
    }

    /// The base64 body of the PEM, which must never appear anywhere.
    static var privateKeyBody: String {
        privateKey.pkcs8PEMRepresentation.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
    }

    static func call(
        _ model: String = "gemini-2.5-flash", stream: Bool = false, secret: String?, project: String? = "test-project",
        location: String? = "us-central1", baseURL: String? = nil
    ) -> ProviderCall {
        GoogleFixtures.call(
            model, provider: .vertexAI, stream: stream, secret: secret,
            settings: .init(baseURL: baseURL, project: project, location: location)
        )
    }

    /// A server whose `/token` path mints `ya29.token-<n>` (n counts the exchanges) after `delay`,
    /// and whose other paths answer with `other`.
    static func tokenServer(
        expiresIn: Int = 3599, delay: Duration = .zero,
        token: (@Sendable (Int, GoogleTestServer.Request) -> GoogleTestServer.Reply?)? = nil,
        other: @escaping GoogleTestServer.Handler = { _ in .json("{}", status: 404) }
    ) async throws -> GoogleTestServer {
        let count = Mutex(0)
        return try await GoogleTestServer.start { request in
            guard request.uri.hasPrefix("/token") else { return other(request) }
            let n = count.withLock { value -> Int in
                value += 1
                return value
            }
            if let custom = token?(n, request) { return custom }
            return .json(
                #"{"access_token":"ya29.token-\#(n)","expires_in":\#(expiresIn),"token_type":"Bearer"}"#, delay: delay)
        }
    }
}
