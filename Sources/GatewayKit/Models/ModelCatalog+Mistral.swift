extension ModelCatalog {
    // Mistral's `-latest` aliases, priced from Mistral's pricing page (La Plateforme). An alias moves to a
    // new version when Mistral releases one, and its price may move with it.
    static let mistralModels: [CatalogModel] = [
        entry(
            .mistral, "mistral-large-latest", "Mistral Large", context: 256_000, maxOutput: nil,
            input: 0.50, output: 1.50, [.tools, .vision, .structuredOutput]),
        entry(
            .mistral, "mistral-medium-latest", "Mistral Medium", context: 128_000, maxOutput: nil,
            input: 0.40, output: 2, [.tools, .vision, .structuredOutput]),
        entry(
            .mistral, "mistral-small-latest", "Mistral Small", context: 128_000, maxOutput: nil,
            input: 0.10, output: 0.30, [.tools, .vision, .structuredOutput]),
        entry(
            .mistral, "magistral-medium-latest", "Magistral Medium", context: 128_000, maxOutput: nil,
            input: 2, output: 5, [.tools, .reasoning, .structuredOutput]),
        entry(
            .mistral, "codestral-latest", "Codestral", context: 256_000, maxOutput: nil,
            input: 0.30, output: 0.90, [.tools, .structuredOutput]),
        entry(
            .mistral, "devstral-medium-latest", "Devstral Medium", context: 128_000, maxOutput: nil,
            input: 0.40, output: 2, [.tools, .structuredOutput]),
        entry(
            .mistral, "ministral-8b-latest", "Ministral 8B", context: 128_000, maxOutput: nil,
            input: 0.10, output: 0.10, [.tools, .structuredOutput]),
    ]
}
