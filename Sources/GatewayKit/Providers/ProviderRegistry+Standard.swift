extension ProviderRegistry {
    /// Every provider GatewayKit ships: the OpenAI-compatible family, the native adapters and `mock`.
    public static var standard: ProviderRegistry {
        var registry = ProviderRegistry()
        registry.register(MockProvider(), for: .mock)
        registry.register(BedrockAdapter(), for: .bedrock)
        return registry
    }
}
