extension ModelCatalog {
    // Vertex AI bills Gemini at the Gemini API's paid rates and Claude at Anthropic's rates on the global
    // endpoint; regional endpoints for Claude 4.5 and later cost about 10% more and are not modelled.
    // Claude ids follow Google's publisher form (`claude-sonnet-4-5@20250929`); `model(for:)` also finds
    // them without the `@` version.
    static let vertexAIModels: [CatalogModel] = vertexGemini + vertexClaude

    static let vertexGemini: [CatalogModel] = [
        "gemini-3.1-pro-preview", "gemini-3-flash-preview", "gemini-2.5-pro", "gemini-2.5-flash",
        "gemini-2.5-flash-lite",
    ].compactMap { name in
        geminiModels.first { $0.ref.name == name }.map { moved($0, to: .vertexAI, name: name) }
    }

    // (Vertex id, Anthropic id)
    static let vertexClaude: [CatalogModel] = [
        ("claude-opus-4-6", "claude-opus-4-6"),
        ("claude-sonnet-4-5@20250929", "claude-sonnet-4-5-20250929"),
        ("claude-haiku-4-5@20251001", "claude-haiku-4-5"),
    ].compactMap { vertexName, anthropicName in
        anthropicModels.first { $0.ref.name == anthropicName }.map { moved($0, to: .vertexAI, name: vertexName) }
    }

    // The same model offered by another provider under another id, at the same price.
    static func moved(_ model: CatalogModel, to provider: Provider, name: String) -> CatalogModel {
        CatalogModel(
            ref: ModelRef(provider: provider, name: name), displayName: model.displayName,
            contextWindow: model.contextWindow, maxOutputTokens: model.maxOutputTokens,
            inputPricePerMillion: model.inputPricePerMillion, outputPricePerMillion: model.outputPricePerMillion,
            cachedInputPricePerMillion: model.cachedInputPricePerMillion, capabilities: model.capabilities
        )
    }
}
