import Foundation
import GatewayKit
import HTTPTypes
import NIOCore
import Testing

private typealias Support = OpenAICompatibleTestSupport

@Suite struct OpenAICompatibleAdapterRequestTests {
    private func make(_ provider: Provider, _ request: ChatRequest, _ call: ProviderCall) throws -> UpstreamRequest {
        try OpenAICompatibleAdapter(provider: provider).makeRequest(request, for: call)
    }

    @Test("builds the OpenAI request with max_completion_tokens, Bearer auth and the provider's model id")
    func openAIRequest() throws {
        let call = try Support.call("openai/gpt-4o-mini")
        let built = try make(.openai, try Support.request(Support.toolConversation), call)
        #expect(built.method == .post)
        #expect(built.url == "https://api.openai.com/v1/chat/completions")
        #expect(built.headers[.authorization] == "Bearer \(Support.secret)")
        #expect(built.headers[.contentType] == "application/json")
        #expect(built.headers[.accept] == "application/json")
        #expect(try Support.json(built.body) == Support.json(Support.toolConversationWire))
    }

    @Test("asks a stream for the usage chunk and accepts server-sent events")
    func openAIStreamRequest() throws {
        var request = ChatRequest(messages: [.user("Hi")], maxTokens: 50)
        request.includeUsage = false
        let built = try make(.openai, request, try Support.call("openai/gpt-4o", stream: true))
        #expect(built.headers[.accept] == "text/event-stream")
        let expected = #"""
            {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"max_completion_tokens":50,
             "stream":true,"stream_options":{"include_usage":true}}
            """#
        #expect(try Support.json(built.body) == Support.json(expected))
    }

    @Test("carries extra fields through and lets modelled fields win")
    func extrasCarried() throws {
        var request = ChatRequest(messages: [.user("Hi")])
        request.extra = ["metadata": .object(["team": .string("a")]), "reasoning_effort": .string("low")]
        request.seed = 3
        let built = try make(.openai, request, try Support.call("openai/o4-mini"))
        let expected = #"""
            {"model":"o4-mini","messages":[{"role":"user","content":"Hi"}],"seed":3,
             "metadata":{"team":"a"},"reasoning_effort":"low"}
            """#
        #expect(try Support.json(built.body) == Support.json(expected))
    }

    @Test("uses the API key's base_url instead of the default, with or without a trailing slash")
    func baseURLOverride() throws {
        let request = ChatRequest(messages: [.user("Hi")])
        for base in [
            "https://proxy.example.com/v1", "https://proxy.example.com/v1/", " https://proxy.example.com/v1// ",
        ] {
            let built = try make(.openai, request, try Support.call("openai/gpt-4o", baseURL: base))
            #expect(built.url == "https://proxy.example.com/v1/chat/completions")
        }
        let ollama = try make(
            .ollama, request, try Support.call("ollama/llama3.2", baseURL: "http://gpu-box:11434/v1/"))
        #expect(ollama.url == "http://gpu-box:11434/v1/chat/completions")
    }

    @Test("rejects a base_url that is not an http or https URL")
    func badBaseURL() throws {
        let error = try #require(throws: GatewayError.self) {
            try make(
                .openai, ChatRequest(messages: [.user("Hi")]),
                try Support.call("openai/gpt-4o", baseURL: "api.openai.com/v1"))
        }
        #expect(error.code == .invalidRequest)
        #expect(error.field == "base_url")
    }

    @Test("builds the classic Azure deployment URL with api-version and the api-key header")
    func azureClassic() throws {
        let request = ChatRequest(messages: [.user("Hi")], maxTokens: 64)
        let call = try Support.call("azure/my-gpt4o", baseURL: "https://myres.openai.azure.com/")
        let built = try make(.azure, request, call)
        #expect(
            built.url
                == "https://myres.openai.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21"
        )
        #expect(Support.header("api-key", in: built) == Support.secret)
        #expect(built.headers[.authorization] == nil)
        let expected = #"{"model":"my-gpt4o","messages":[{"role":"user","content":"Hi"}],"max_completion_tokens":64}"#
        #expect(try Support.json(built.body) == Support.json(expected))

        let versioned = try make(
            .azure, request,
            try Support.call(
                "azure/gpt 4o", baseURL: "https://myres.openai.azure.com/openai", apiVersion: "2025-04-01-preview")
        )
        #expect(
            versioned.url
                == "https://myres.openai.azure.com/openai/deployments/gpt%204o/chat/completions?api-version=2025-04-01-preview"
        )
    }

    @Test("uses Azure's v1 URL when the base URL ends with /openai/v1")
    func azureV1() throws {
        let call = try Support.call("azure/my-gpt4o", baseURL: "https://myres.openai.azure.com/openai/v1/")
        let built = try make(.azure, ChatRequest(messages: [.user("Hi")]), call)
        #expect(built.url == "https://myres.openai.azure.com/openai/v1/chat/completions")
        #expect(Support.header("api-key", in: built) == Support.secret)
        let expected = #"{"model":"my-gpt4o","messages":[{"role":"user","content":"Hi"}]}"#
        #expect(try Support.json(built.body) == Support.json(expected))
    }

    @Test("refuses Azure without a base_url, naming the field")
    func azureNeedsBaseURL() throws {
        let error = try #require(throws: GatewayError.self) {
            try make(.azure, ChatRequest(messages: [.user("Hi")]), try Support.call("azure/my-gpt4o"))
        }
        #expect(error.code == .invalidRequest)
        #expect(error.field == "base_url")
        #expect(error.message.contains("base_url"))
    }

    @Test("rewrites Mistral's seed, tool_choice and null extras")
    func mistral() throws {
        var request = ChatRequest(
            messages: [.user("Weather?")], maxTokens: 100,
            tools: [ChatTool(name: "get_weather", parameters: .object(["type": .string("object")]))],
            toolChoice: .required
        )
        request.seed = 7
        request.extra = ["safe_prompt": .bool(true), "logprobs": .null]
        let built = try make(.mistral, request, try Support.call("mistral/mistral-large-latest"))
        #expect(built.url == "https://api.mistral.ai/v1/chat/completions")
        #expect(built.headers[.authorization] == "Bearer \(Support.secret)")
        let expected = #"""
            {"model":"mistral-large-latest","messages":[{"role":"user","content":"Weather?"}],"max_tokens":100,
             "random_seed":7,"safe_prompt":true,"tool_choice":"any",
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}
            """#
        #expect(try Support.json(built.body) == Support.json(expected))

        request.toolChoice = .function("get_weather")
        let named = try Support.json(try make(.mistral, request, try Support.call("mistral/mistral-large-latest")).body)
        #expect(named["tool_choice"] == .string("any"))
        request.toolChoice = .auto
        let auto = try Support.json(try make(.mistral, request, try Support.call("mistral/mistral-large-latest")).body)
        #expect(auto["tool_choice"] == .string("auto"))
    }

    @Test("removes strict from xAI tools")
    func xAI() throws {
        let request = ChatRequest(
            messages: [.user("Hi")], tools: [ChatTool(name: "f", parameters: .object([:]), strict: true)]
        )
        let built = try make(.xai, request, try Support.call("xai/grok-4"))
        #expect(built.url == "https://api.x.ai/v1/chat/completions")
        let expected = #"""
            {"model":"grok-4","messages":[{"role":"user","content":"Hi"}],
             "tools":[{"type":"function","function":{"name":"f","parameters":{}}}]}
            """#
        #expect(try Support.json(built.body) == Support.json(expected))
    }

    @Test("sends Ollama requests to /v1 without tool_choice and without auth when there is no key")
    func ollama() throws {
        let request = ChatRequest(
            messages: [.user("Hi")], maxTokens: 20, tools: [ChatTool(name: "f")], toolChoice: .required
        )
        for model in ["ollama/llama3.2", "ollama_chat/llama3.2"] {
            let ref = try ModelRef(parsing: model)
            let built = try make(ref.provider, request, try Support.call(model, secret: nil))
            #expect(built.url == "http://localhost:11434/v1/chat/completions")
            #expect(built.headers[.authorization] == nil)
            let expected = #"""
                {"model":"llama3.2","messages":[{"role":"user","content":"Hi"}],"max_tokens":20,
                 "tools":[{"type":"function","function":{"name":"f"}}]}
                """#
            #expect(try Support.json(built.body) == Support.json(expected))
        }
    }

    @Test("sends OpenRouter the vendor/model id with max_tokens")
    func openRouter() throws {
        let built = try make(
            .openrouter, ChatRequest(messages: [.user("Hi")], maxTokens: 10),
            try Support.call("openrouter/anthropic/claude-sonnet-4", stream: true)
        )
        #expect(built.url == "https://openrouter.ai/api/v1/chat/completions")
        #expect(built.headers[.authorization] == "Bearer \(Support.secret)")
        let expected = #"""
            {"model":"anthropic/claude-sonnet-4","messages":[{"role":"user","content":"Hi"}],"max_tokens":10,
             "stream":true,"stream_options":{"include_usage":true}}
            """#
        #expect(try Support.json(built.body) == Support.json(expected))
    }

    @Test("sends NVIDIA NIM and Together AI requests to their hosted URLs")
    func nimAndTogether() throws {
        let request = ChatRequest(messages: [.user("Hi")], maxTokens: 5)
        let nim = try make(
            .nvidiaNIM, request, try Support.call("nvidia_nim/meta/llama-3.1-8b-instruct", secret: "nvapi-abc"))
        #expect(nim.url == "https://integrate.api.nvidia.com/v1/chat/completions")
        #expect(nim.headers[.authorization] == "Bearer nvapi-abc")
        let expected =
            #"{"model":"meta/llama-3.1-8b-instruct","messages":[{"role":"user","content":"Hi"}],"max_tokens":5}"#
        #expect(try Support.json(nim.body) == Support.json(expected))

        let together = try make(.togetherAI, request, try Support.call("together_ai/meta-llama/Llama-3-8b-chat-hf"))
        #expect(together.url == "https://api.together.xyz/v1/chat/completions")
    }

    @Test("sends vLLM its extra sampling fields, with auth only when the key has a secret")
    func vLLM() throws {
        var request = ChatRequest(messages: [.user("Hi")], maxTokens: 32)
        request.extra = ["top_k": .int(20), "min_p": .double(0.05)]
        let local = try make(
            .hostedVLLM, request,
            try Support.call("hosted_vllm/Qwen/Qwen3-8B", baseURL: "http://10.0.0.5:8000/v1", secret: nil)
        )
        #expect(local.url == "http://10.0.0.5:8000/v1/chat/completions")
        #expect(local.headers[.authorization] == nil)
        let expected = #"""
            {"model":"Qwen/Qwen3-8B","messages":[{"role":"user","content":"Hi"}],"max_tokens":32,"top_k":20,"min_p":0.05}
            """#
        #expect(try Support.json(local.body) == Support.json(expected))

        let secured = try make(.hostedVLLM, request, try Support.call("hosted_vllm/Qwen/Qwen3-8B", secret: "token-1"))
        #expect(secured.url == "http://localhost:8000/v1/chat/completions")
        #expect(secured.headers[.authorization] == "Bearer token-1")
    }

    @Test("needs a base_url for a custom provider and serves it as a generic compatible host")
    func customProvider() throws {
        let adapter = OpenAICompatibleAdapter(provider: "groq")
        let request = ChatRequest(messages: [.user("Hi")])
        let ref = ModelRef(provider: "groq", name: "llama-3.1-8b-instant")
        let missing = ProviderCall(model: ref, apiKey: nil, secret: nil, stream: false)
        let error = try #require(throws: GatewayError.self) { try adapter.makeRequest(request, for: missing) }
        #expect(error.field == "base_url")

        let key = APIKey(
            id: "key_groq", name: "groq", provider: "groq", settings: .init(baseURL: "https://api.groq.com/openai/v1"),
            masked: "gsk_…abcd", version: 1, createdAt: Date(timeIntervalSince1970: 0)
        )
        let configured = ProviderCall(model: ref, apiKey: key, secret: Secret("gsk_abc"), stream: false)
        let built = try adapter.makeRequest(request, for: configured)
        #expect(built.url == "https://api.groq.com/openai/v1/chat/completions")
        #expect(built.headers[.authorization] == "Bearer gsk_abc")
        let expected = #"{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Hi"}]}"#
        #expect(try Support.json(built.body) == Support.json(expected))
    }

    @Test("the standard registry serves every OpenAI-compatible provider over HTTP")
    func registry() {
        let registry = ProviderRegistry.standard
        for provider in OpenAICompatibleAdapter.providers {
            guard case .http(let adapter)? = registry.entry(for: provider) else {
                Issue.record("\(provider) is not served over HTTP")
                continue
            }
            #expect(adapter is OpenAICompatibleAdapter)
        }
        guard case .inProcess? = registry.entry(for: .mock) else {
            Issue.record("mock is not served in process")
            return
        }
    }
}
