extension ModelCatalog {
    // NVIDIA NIM models as the API catalog (build.nvidia.com) names them. NVIDIA publishes no per-token
    // price: the hosted endpoints run on trial credits and self-hosted NIM is licensed per GPU, so these
    // entries are unpriced.
    static let nvidiaNIMModels: [CatalogModel] = [
        entry(
            .nvidiaNIM, "meta/llama-3.3-70b-instruct", "Llama 3.3 70B Instruct", context: 128_000,
            maxOutput: nil, input: nil, output: nil, [.tools, .structuredOutput]),
        entry(
            .nvidiaNIM, "meta/llama-3.1-8b-instruct", "Llama 3.1 8B Instruct", context: 128_000,
            maxOutput: nil, input: nil, output: nil, [.tools, .structuredOutput]),
        entry(
            .nvidiaNIM, "nvidia/llama-3.3-nemotron-super-49b-v1", "Llama 3.3 Nemotron Super 49B",
            context: 128_000, maxOutput: nil, input: nil, output: nil, [.tools, .reasoning, .structuredOutput]),
        entry(
            .nvidiaNIM, "deepseek-ai/deepseek-r1", "DeepSeek R1", context: 128_000, maxOutput: nil,
            input: nil, output: nil, [.reasoning]),
    ]
}
