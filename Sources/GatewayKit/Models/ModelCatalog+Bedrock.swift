extension ModelCatalog {
    // Bedrock Converse model ids, priced from the Amazon Bedrock pricing page (on-demand, us-east-1).
    // Claude costs the same as on Anthropic's API for in-region and cross-region (`us.`, `eu.`, `global.`)
    // calls; Bedrock's regional-endpoint premium for Claude 4.5 and later (about 10%) is not modelled.
    // `model(for:)` finds the cross-region ids through the plain entries. Max output is left out where the
    // Bedrock model card was not read.
    static let bedrockModels: [CatalogModel] = [
        entry(
            .bedrock, "anthropic.claude-opus-4-6-v1:0", "Claude Opus 4.6", context: 1_000_000, maxOutput: 128_000,
            input: 5, output: 25, cached: 0.50, .bedrockClaude),
        entry(
            .bedrock, "anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5", context: 200_000,
            maxOutput: 64_000, input: 3, output: 15, cached: 0.30, .bedrockClaude),
        entry(
            .bedrock, "anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5", context: 200_000,
            maxOutput: 64_000, input: 1, output: 5, cached: 0.10, .bedrockClaude),
        entry(
            .bedrock, "anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4", context: 200_000,
            maxOutput: 64_000, input: 3, output: 15, cached: 0.30, .bedrockClaude),
        entry(
            .bedrock, "anthropic.claude-3-5-haiku-20241022-v1:0", "Claude Haiku 3.5", context: 200_000,
            maxOutput: 8_192, input: 0.80, output: 4, cached: 0.08, [.tools, .promptCaching]),
        entry(
            .bedrock, "amazon.nova-pro-v1:0", "Amazon Nova Pro", context: 300_000, maxOutput: nil,
            input: 0.80, output: 3.20, cached: 0.20, [.tools, .vision, .promptCaching]),
        entry(
            .bedrock, "amazon.nova-lite-v1:0", "Amazon Nova Lite", context: 300_000, maxOutput: nil,
            input: 0.06, output: 0.24, cached: 0.015, [.tools, .vision, .promptCaching]),
        entry(
            .bedrock, "amazon.nova-micro-v1:0", "Amazon Nova Micro", context: 128_000, maxOutput: nil,
            input: 0.035, output: 0.14, cached: 0.00875, [.tools, .promptCaching]),
        entry(
            .bedrock, "meta.llama3-3-70b-instruct-v1:0", "Llama 3.3 70B Instruct", context: 128_000,
            maxOutput: nil, input: 0.72, output: 0.72, [.tools]),
        entry(
            .bedrock, "mistral.mistral-large-2407-v1:0", "Mistral Large (24.07)", context: 128_000,
            maxOutput: nil, input: 2, output: 6, [.tools]),
        entry(
            .bedrock, "cohere.command-r-plus-v1:0", "Command R+", context: 128_000, maxOutput: 4_096,
            input: 3, output: 15, [.tools]),
        entry(
            .bedrock, "cohere.command-r-v1:0", "Command R", context: 128_000, maxOutput: 4_096,
            input: 0.50, output: 1.50, [.tools]),
    ]
}

extension CatalogModel.Capabilities {
    // Converse has no JSON-schema response format, so Claude on Bedrock lacks `structuredOutput` here.
    static let bedrockClaude: Self = [.tools, .vision, .reasoning, .promptCaching]
}
