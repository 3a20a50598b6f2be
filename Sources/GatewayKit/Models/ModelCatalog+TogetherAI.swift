extension ModelCatalog {
    // Together AI serverless models, priced from together.ai/pricing (per million tokens, input and output).
    static let togetherAIModels: [CatalogModel] = [
        entry(
            .togetherAI, "meta-llama/Llama-3.3-70B-Instruct-Turbo", "Llama 3.3 70B Instruct Turbo",
            context: 131_072, maxOutput: nil, input: 0.88, output: 0.88, [.tools, .structuredOutput]),
        entry(
            .togetherAI, "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", "Llama 4 Maverick",
            context: 1_048_576, maxOutput: nil, input: 0.27, output: 0.85, [.tools, .vision, .structuredOutput]),
        entry(
            .togetherAI, "openai/gpt-oss-120b", "gpt-oss-120b", context: 131_072, maxOutput: nil,
            input: 0.15, output: 0.60, [.tools, .reasoning, .structuredOutput]),
        entry(
            .togetherAI, "deepseek-ai/DeepSeek-V3", "DeepSeek V3", context: 131_072, maxOutput: nil,
            input: 1.25, output: 1.25, [.tools, .structuredOutput]),
        entry(
            .togetherAI, "deepseek-ai/DeepSeek-R1", "DeepSeek R1", context: 163_840, maxOutput: nil,
            input: 3, output: 7, [.reasoning]),
        entry(
            .togetherAI, "Qwen/Qwen2.5-72B-Instruct-Turbo", "Qwen2.5 72B Instruct Turbo", context: 32_768,
            maxOutput: nil, input: 1.20, output: 1.20, [.tools, .structuredOutput]),
    ]
}
