extension ProviderRegistry {
    /// Every provider GatewayKit ships: the OpenAI-compatible family, the native adapters and `mock`.
    public static var standard: ProviderRegistry {
        var registry = ProviderRegistry()
        for provider in OpenAICompatibleAdapter.providers {
            registry.register(OpenAICompatibleAdapter(provider: provider), for: provider)
        }
        registry.register(MockProvider(), for: .mock)
        registry.register(AnthropicAdapter(), for: .anthropic)
        registry.register(CohereAdapter(), for: .cohere)
        registry.register(CohereAdapter(), for: .cohereChat)
        registry.register(GeminiAdapter(), for: .gemini)
        registry.register(VertexAIAdapter(anthropic: AnthropicAdapter()), for: .vertexAI)
        registry.register(BedrockAdapter(), for: .bedrock)
        return registry
    }
}
