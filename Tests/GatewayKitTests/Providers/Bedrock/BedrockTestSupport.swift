import NIOCore

@testable import GatewayKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Shared values for the Bedrock tests. The credentials are AWS's documented example keys.
enum BedrockFixtures {
    static let accessKeyID = "AKIDEXAMPLE"
    static let secretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let sessionToken = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789"
    static let date = Date(timeIntervalSince1970: 1_705_320_000)  // 2024-01-15T12:00:00Z
    static let model = "anthropic.claude-3-haiku-20240307-v1:0"

    static func secret(token: String? = nil) -> String {
        var fields = #""access_key_id":"\#(accessKeyID)","secret_access_key":"\#(secretKey)""#
        if let token { fields += #","session_token":"\#(token)""# }
        return "{" + fields + "}"
    }

    static func call(
        stream: Bool = false, secret: String? = secret(), region: String? = "us-east-1", baseURL: String? = nil,
        model: String = model
    ) -> ProviderCall {
        let key = APIKey(
            id: "key_bedrock", name: "bedrock", provider: .bedrock,
            settings: .init(baseURL: baseURL, region: region), masked: "…", version: 1, createdAt: date
        )
        return ProviderCall(
            model: ModelRef(provider: .bedrock, name: model), apiKey: key, secret: secret.map(Secret.init),
            stream: stream
        )
    }

    static let adapter = BedrockAdapter(now: { date })

    static func json(_ buffer: ByteBuffer) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
