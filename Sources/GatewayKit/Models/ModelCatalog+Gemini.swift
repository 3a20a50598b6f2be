extension ModelCatalog {
    // Read from the Gemini API pricing page (ai.google.dev/gemini-api/docs/pricing), paid tier, text input.
    // The Pro models cost more for prompts over 200K tokens (2.5 Pro: $2.50 / $15; 3.1 Pro: $4 / $18); the
    // catalog records the rate up to 200K. The cached price is the context-caching read rate; cache storage
    // is billed per hour and not modelled.
    static let geminiModels: [CatalogModel] = [
        // Launch price until 2026-12-31; $1.50 / $7.50 (cache reads $0.15) from 2027-01-01.
        entry(
            .gemini, "gemini-3.8-flash", "Gemini 3.8 Flash", context: 1_048_576, maxOutput: 65_536,
            input: 0.75, output: 3.75, cached: 0.075, .frontier),
        // Preview; no cached rate was confirmed.
        entry(
            .gemini, "gemini-3.1-pro-preview", "Gemini 3.1 Pro (preview)", context: 1_048_576, maxOutput: 65_536,
            input: 2, output: 12, .frontier),
        entry(
            .gemini, "gemini-3-flash-preview", "Gemini 3 Flash (preview)", context: 1_048_576, maxOutput: 65_536,
            input: 0.50, output: 3, cached: 0.05, .frontier),
        entry(
            .gemini, "gemini-2.5-pro", "Gemini 2.5 Pro", context: 1_048_576, maxOutput: 65_536,
            input: 1.25, output: 10, cached: 0.125, .frontier),
        entry(
            .gemini, "gemini-2.5-flash", "Gemini 2.5 Flash", context: 1_048_576, maxOutput: 65_536,
            input: 0.30, output: 2.50, cached: 0.03, .frontier),
        entry(
            .gemini, "gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", context: 1_048_576, maxOutput: 65_536,
            input: 0.10, output: 0.40, cached: 0.01, .frontier),
    ]
}
