extension ModelCatalog {
    // Popular models of the Ollama library (ollama.com/library), run locally, so without a price. The
    // context window is the model's own; Ollama loads a smaller one unless `num_ctx` raises it. Every model
    // takes a JSON schema through Ollama's `format`.
    static let ollamaModels: [CatalogModel] = [
        entry(
            .ollama, "llama3.2", "Llama 3.2 3B", context: 131_072, maxOutput: nil,
            input: nil, output: nil, [.tools, .structuredOutput]),
        entry(
            .ollama, "llama3.1:8b", "Llama 3.1 8B", context: 131_072, maxOutput: nil,
            input: nil, output: nil, [.tools, .structuredOutput]),
        entry(
            .ollama, "qwen3:8b", "Qwen3 8B", context: 40_960, maxOutput: nil,
            input: nil, output: nil, [.tools, .reasoning, .structuredOutput]),
        entry(
            .ollama, "gemma3:12b", "Gemma 3 12B", context: 131_072, maxOutput: nil,
            input: nil, output: nil, [.vision, .structuredOutput]),
        entry(
            .ollama, "mistral", "Mistral 7B", context: 32_768, maxOutput: nil,
            input: nil, output: nil, [.tools, .structuredOutput]),
        entry(
            .ollama, "deepseek-r1:8b", "DeepSeek R1 8B", context: 131_072, maxOutput: nil,
            input: nil, output: nil, [.reasoning, .structuredOutput]),
        entry(
            .ollama, "gpt-oss:20b", "gpt-oss 20B", context: 131_072, maxOutput: nil,
            input: nil, output: nil, [.tools, .reasoning, .structuredOutput]),
    ]
}
