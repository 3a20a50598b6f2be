import Foundation
import GatewayKit
import HTTPTypes
import NIOCore

/// Builders shared by the OpenAI-compatible adapter tests.
enum OpenAICompatibleTestSupport {
    static let secret = "sk-test-0123456789abcdef"

    static func call(
        _ model: String, baseURL: String? = nil, apiVersion: String? = nil, secret: String? = secret,
        stream: Bool = false
    ) throws -> ProviderCall {
        let ref = try ModelRef(parsing: model)
        let key = APIKey(
            id: "key_test", name: "test", provider: ref.provider,
            settings: .init(baseURL: baseURL, apiVersion: apiVersion), masked: "sk-…cdef", version: 1,
            createdAt: Date(timeIntervalSince1970: 0)
        )
        return ProviderCall(model: ref, apiKey: key, secret: secret.map(Secret.init), stream: stream)
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func json(_ buffer: ByteBuffer) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
    }

    static func request(_ text: String) throws -> ChatRequest {
        try JSONDecoder().decode(ChatRequest.self, from: Data(text.utf8))
    }

    static func header(_ name: String, in request: UpstreamRequest) -> String? {
        HTTPField.Name(name).flatMap { request.headers[$0] }
    }

    /// PROVIDERS.md §1.2, as a client would send it to the gateway (the model is an endpoint slug).
    static let toolConversation = #"""
        {"model":"production-gpt-4o","max_completion_tokens":200,"temperature":0.2,
         "messages":[
          {"role":"system","content":"You are terse."},
          {"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"{\"temp_c\":18}"}],
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
         "tool_choice":"auto"}
        """#

    /// The §1.2 request as OpenAI must receive it for `openai/gpt-4o-mini`.
    static let toolConversationWire = #"""
        {"model":"gpt-4o-mini","max_completion_tokens":200,"temperature":0.2,
         "messages":[
          {"role":"system","content":"You are terse."},
          {"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"{\"temp_c\":18}"}],
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
         "tool_choice":"auto"}
        """#
}
