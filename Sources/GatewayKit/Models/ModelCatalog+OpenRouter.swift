extension ModelCatalog {
    // OpenRouter passes first-party models through at the first-party list price, so these entries copy the
    // first-party entries under OpenRouter's `vendor/model` ids. Open models served by several providers at
    // different prices are listed without a price.
    static let openRouterModels: [CatalogModel] =
        [
            ("openai/gpt-5", Provider.openai, "gpt-5"),
            ("openai/gpt-4o-mini", .openai, "gpt-4o-mini"),
            ("anthropic/claude-sonnet-4.5", .anthropic, "claude-sonnet-4-5-20250929"),
            ("anthropic/claude-haiku-4.5", .anthropic, "claude-haiku-4-5"),
            ("google/gemini-2.5-pro", .gemini, "gemini-2.5-pro"),
            ("google/gemini-2.5-flash", .gemini, "gemini-2.5-flash"),
            ("x-ai/grok-4-fast", .xai, "grok-4-fast-reasoning"),
        ].compactMap { routerName, provider, name in
            (openAIModels + anthropicModels + geminiModels + xAIModels)
                .first { $0.ref == ModelRef(provider: provider, name: name) }
                .map { moved($0, to: .openrouter, name: routerName) }
        } + [
            entry(
                .openrouter, "meta-llama/llama-3.3-70b-instruct", "Llama 3.3 70B Instruct", context: 131_072,
                maxOutput: nil, input: nil, output: nil, [.tools, .structuredOutput])
        ]
}
