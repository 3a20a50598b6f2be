extension ModelCatalog {
    // Cohere v2 chat models, priced from cohere.com/pricing (per million tokens, production keys).
    static let cohereModels: [CatalogModel] = [
        entry(
            .cohere, "command-a-03-2025", "Command A", context: 256_000, maxOutput: 8_000,
            input: 2.50, output: 10, [.tools, .structuredOutput]),
        entry(
            .cohere, "command-r-plus-08-2024", "Command R+ (08-2024)", context: 128_000, maxOutput: 4_000,
            input: 2.50, output: 10, [.tools, .structuredOutput]),
        entry(
            .cohere, "command-r-08-2024", "Command R (08-2024)", context: 128_000, maxOutput: 4_000,
            input: 0.15, output: 0.60, [.tools, .structuredOutput]),
        entry(
            .cohere, "command-r7b-12-2024", "Command R7B", context: 128_000, maxOutput: 4_000,
            input: 0.0375, output: 0.15, [.tools, .structuredOutput]),
    ]
}
