extension ModelCatalog {
    // xAI models, priced from docs.x.ai (model pages and pricing). Grok 4 doubles its rates for prompts
    // over 128K tokens; the catalog records the base rate.
    static let xAIModels: [CatalogModel] = [
        // Model page grok-4.7, read 2026-11: no output limit stated and no cached rate shown.
        entry(
            .xai, "grok-4.7", "Grok 4.7", context: 500_000, maxOutput: nil,
            input: 2, output: 6, .frontier),
        entry(
            .xai, "grok-4", "Grok 4", context: 256_000, maxOutput: nil,
            input: 3, output: 15, cached: 0.75, .frontier),
        entry(
            .xai, "grok-4-fast-reasoning", "Grok 4 Fast (reasoning)", context: 2_000_000, maxOutput: nil,
            input: 0.20, output: 0.50, cached: 0.05, .frontier),
        entry(
            .xai, "grok-4-fast-non-reasoning", "Grok 4 Fast", context: 2_000_000, maxOutput: nil,
            input: 0.20, output: 0.50, cached: 0.05, .chat),
        entry(
            .xai, "grok-code-fast-1", "Grok Code Fast 1", context: 256_000, maxOutput: nil,
            input: 0.20, output: 1.50, cached: 0.02, [.tools, .reasoning, .promptCaching, .structuredOutput]),
        entry(
            .xai, "grok-3-mini", "Grok 3 Mini", context: 131_072, maxOutput: nil,
            input: 0.30, output: 0.50, cached: 0.075, [.tools, .reasoning, .promptCaching, .structuredOutput]),
    ]
}
