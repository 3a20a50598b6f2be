extension ModelCatalog {
    // Common open models as a self-hosted vLLM server names them (their Hugging Face ids), without a price.
    // vLLM serves the model's full context unless `--max-model-len` lowers it, and constrains output to a
    // JSON schema for any model.
    static let hostedVLLMModels: [CatalogModel] = [
        entry(
            .hostedVLLM, "meta-llama/Llama-3.1-8B-Instruct", "Llama 3.1 8B Instruct", context: 131_072,
            maxOutput: nil, input: nil, output: nil, [.tools, .structuredOutput]),
        entry(
            .hostedVLLM, "Qwen/Qwen3-8B", "Qwen3 8B", context: 32_768, maxOutput: nil,
            input: nil, output: nil, [.tools, .reasoning, .structuredOutput]),
        entry(
            .hostedVLLM, "openai/gpt-oss-20b", "gpt-oss-20b", context: 131_072, maxOutput: nil,
            input: nil, output: nil, [.tools, .reasoning, .structuredOutput]),
    ]
}
