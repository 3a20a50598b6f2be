extension ModelCatalog {
    // Read from OpenAI's model pages and pricing page (developers.openai.com/api/docs), standard tier.
    // Prompts over 272K input tokens on the GPT-5.4 and later models cost 2x input and 1.5x output for the
    // whole request; the catalog records the base rate. A `nil` cached price means the page read gave no
    // cached rate for that model, so cached tokens are charged at the input price.
    static let openAIModels: [CatalogModel] = [
        // Models index, read 2026-11: the flagship; no cached rate was shown.
        entry(
            .openai, "gpt-6-astra", "GPT-6 Astra", context: 1_050_000, maxOutput: 128_000,
            input: 10, output: 50, .frontier),
        // Models index, read 2026-11 ($4 / $20, after the price cuts of summer 2026; launch price was $5 / $30).
        entry(
            .openai, "gpt-5.6-sol", "GPT-5.6 Sol", context: 1_050_000, maxOutput: 128_000,
            input: 4, output: 20, .frontier),
        entry(
            .openai, "gpt-5.6-terra", "GPT-5.6 Terra", context: 1_050_000, maxOutput: 128_000,
            input: 2, output: 12, .frontier),
        // Model page gpt-5.6-luna: $0.20 / cached $0.02 / $1.20.
        entry(
            .openai, "gpt-5.6-luna", "GPT-5.6 Luna", context: 1_050_000, maxOutput: 128_000,
            input: 0.20, output: 1.20, cached: 0.02, .frontier),
        entry(
            .openai, "gpt-5.5", "GPT-5.5", context: 1_050_000, maxOutput: 128_000,
            input: 5, output: 30, cached: 0.50, .frontier),
        entry(
            .openai, "gpt-5.4", "GPT-5.4", context: 1_050_000, maxOutput: 128_000,
            input: 2.50, output: 15, cached: 0.25, .frontier),
        entry(
            .openai, "gpt-5", "GPT-5", context: 400_000, maxOutput: 128_000,
            input: 1.25, output: 10, cached: 0.125, .frontier),
        entry(
            .openai, "gpt-5-mini", "GPT-5 mini", context: 400_000, maxOutput: 128_000,
            input: 0.25, output: 2, cached: 0.025, .frontier),
        entry(
            .openai, "gpt-4.1", "GPT-4.1", context: 1_047_576, maxOutput: 32_768,
            input: 2, output: 8, cached: 0.50, .chat),
        entry(
            .openai, "gpt-4o", "GPT-4o", context: 128_000, maxOutput: 16_384,
            input: 2.50, output: 10, cached: 1.25, .chat),
        entry(
            .openai, "gpt-4o-mini", "GPT-4o mini", context: 128_000, maxOutput: 16_384,
            input: 0.15, output: 0.60, cached: 0.075, .chat),
        entry(
            .openai, "o3", "o3", context: 200_000, maxOutput: 100_000,
            input: 2, output: 8, cached: 0.50, .frontier),
        entry(
            .openai, "o4-mini", "o4-mini", context: 200_000, maxOutput: 100_000,
            input: 1.10, output: 4.40, cached: 0.275, .frontier),
    ]
}

extension CatalogModel.Capabilities {
    // Tools, images, caching and JSON schemas: the common set of current hosted chat models.
    static let chat: Self = [.tools, .vision, .promptCaching, .structuredOutput]
    // `chat` plus reasoning.
    static let frontier: Self = [.tools, .vision, .reasoning, .promptCaching, .structuredOutput]
}
