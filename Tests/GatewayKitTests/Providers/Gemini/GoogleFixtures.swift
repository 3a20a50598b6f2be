import Foundation
import GatewayKit
import HTTPTypes
import NIOCore

/// Helpers shared by the Gemini and Vertex AI tests.
enum GoogleFixtures {
    static let apiKey = "AIzaSyTEST-gemini-key-0123456789"

    static func json(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string("not JSON: \(text)")
    }

    static func json(_ buffer: ByteBuffer) -> JSONValue {
        json(String(buffer: buffer))
    }

    static func call(
        _ model: String, provider: Provider = .gemini, stream: Bool = false, secret: String? = apiKey,
        settings: APIKey.Settings = .init()
    ) -> ProviderCall {
        let key = APIKey(
            id: "key_test", name: "test", provider: provider, settings: settings, masked: "…", version: 1,
            createdAt: Date(timeIntervalSince1970: 0)
        )
        return ProviderCall(
            model: ModelRef(provider: provider, name: model), apiKey: key, secret: secret.map(Secret.init),
            stream: stream
        )
    }

    static func response(_ body: String, status: Int = 200) -> UpstreamResponse {
        UpstreamResponse(status: status, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
    }

    /// Feeds `body` to a fresh parser in pieces of `pieceSize` bytes and finishes it.
    static func parseStream(
        _ adapter: some ProviderAdapter, call: ProviderCall, body: String, pieceSize: Int = .max
    ) throws -> [ChatChunk] {
        var parser = adapter.makeStreamParser(for: call)
        var chunks: [ChatChunk] = []
        let bytes = Array(body.utf8)
        var start = 0
        while start < bytes.count {
            let end = pieceSize >= bytes.count - start ? bytes.count : start + pieceSize
            chunks += try parser.parse(ByteBuffer(bytes: bytes[start..<end]))
            start = end
        }
        return chunks + (try parser.finish())
    }

    /// A `data:` event framed with CRLF, as Gemini sends it.
    static func event(_ json: String) -> String { "data: \(json)\r\n\r\n" }
}
