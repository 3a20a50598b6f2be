extension ModelCatalog {
    // Read from Anthropic's model overview pages and pricing page (platform.claude.com/docs), 2026-11.
    // The cached price is the cache-hit rate; 5-minute and 1-hour cache writes (1.25x and 2x input) are
    // not modelled. The ids of Opus 5.5, Sonnet 5.5 and Haiku 5.5 follow the pattern of the confirmed ids
    // (`claude-opus-5`, `claude-fable-5-1`) and appear in pricing-tool release notes, but were not read
    // from their own overview pages.
    static let anthropicModels: [CatalogModel] = [
        // Cache hits cost a quarter of Fable 5's $1.
        entry(
            .anthropic, "claude-fable-5-1", "Claude Fable 5.1", context: 1_000_000, maxOutput: 128_000,
            input: 10, output: 50, cached: 0.25, .frontier),
        entry(
            .anthropic, "claude-opus-5-5", "Claude Opus 5.5", context: 1_000_000, maxOutput: 128_000,
            input: 4, output: 20, cached: 0.20, .frontier),
        // Cache hits cut from $0.20 to $0.10 on 2026-10-07.
        entry(
            .anthropic, "claude-sonnet-5-5", "Claude Sonnet 5.5", context: 1_000_000, maxOutput: 128_000,
            input: 2, output: 10, cached: 0.10, .frontier),
        // Tiered by prompt length: the rate for prompts up to 100K tokens; longer prompts cost
        // $0.50 / $2.50 (cache hits $0.05) and are under-counted here.
        entry(
            .anthropic, "claude-haiku-5-5", "Claude Haiku 5.5", context: 1_000_000, maxOutput: 128_000,
            input: 0.10, output: 0.50, cached: 0.01, .frontier),
        entry(
            .anthropic, "claude-opus-5", "Claude Opus 5", context: 1_000_000, maxOutput: 128_000,
            input: 5, output: 25, cached: 0.50, .frontier),
        entry(
            .anthropic, "claude-sonnet-5", "Claude Sonnet 5", context: 1_000_000, maxOutput: 128_000,
            input: 2, output: 10, cached: 0.20, .frontier),
        entry(
            .anthropic, "claude-opus-4-6", "Claude Opus 4.6", context: 1_000_000, maxOutput: 128_000,
            input: 5, output: 25, cached: 0.50, .frontier),
        entry(
            .anthropic, "claude-sonnet-4-6", "Claude Sonnet 4.6", context: 1_000_000, maxOutput: 128_000,
            input: 3, output: 15, cached: 0.30, .frontier),
        entry(
            .anthropic, "claude-haiku-4-5", "Claude Haiku 4.5", context: 200_000, maxOutput: 64_000,
            input: 1, output: 5, cached: 0.10, .frontier),
        // Deprecated; retires 2026-11-30.
        entry(
            .anthropic, "claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", context: 200_000, maxOutput: 64_000,
            input: 3, output: 15, cached: 0.30, .frontier),
        // No structured outputs on Sonnet 4.
        entry(
            .anthropic, "claude-sonnet-4-20250514", "Claude Sonnet 4", context: 200_000, maxOutput: 64_000,
            input: 3, output: 15, cached: 0.30, [.tools, .vision, .reasoning, .promptCaching]),
    ]
}
