/// An upstream provider, named by its model-string prefix (`openai`, `anthropic`, `bedrock`, …).
///
/// The known providers are static members; a custom one can be registered with a
/// ``ProviderRegistry`` under any name.
public struct Provider: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The model-string prefix.
    public var rawValue: String

    /// Creates a provider from its prefix.
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    /// OpenAI.
    public static let openai: Provider = "openai"
    /// Azure OpenAI; the model is the deployment name.
    public static let azure: Provider = "azure"
    /// Anthropic Messages API.
    public static let anthropic: Provider = "anthropic"
    /// Google Gemini API.
    public static let gemini: Provider = "gemini"
    /// Google Vertex AI.
    public static let vertexAI: Provider = "vertex_ai"
    /// Cohere v2 chat.
    public static let cohere: Provider = "cohere"
    /// Cohere v2 chat, LiteLLM's alternative prefix.
    public static let cohereChat: Provider = "cohere_chat"
    /// AWS Bedrock (Converse).
    public static let bedrock: Provider = "bedrock"
    /// Mistral.
    public static let mistral: Provider = "mistral"
    /// xAI.
    public static let xai: Provider = "xai"
    /// OpenRouter.
    public static let openrouter: Provider = "openrouter"
    /// Together AI.
    public static let togetherAI: Provider = "together_ai"
    /// Ollama, through its OpenAI-compatible API.
    public static let ollama: Provider = "ollama"
    /// Ollama, LiteLLM's chat prefix; served the same way as ``ollama``.
    public static let ollamaChat: Provider = "ollama_chat"
    /// A vLLM server.
    public static let hostedVLLM: Provider = "hosted_vllm"
    /// NVIDIA NIM.
    public static let nvidiaNIM: Provider = "nvidia_nim"
    /// The in-process mock provider (`mock/echo`, `mock/fixed:…`, `mock/error:…`, `mock/delay:…`).
    public static let mock: Provider = "mock"

    /// Every provider GatewayKit knows, in the order the catalog lists them.
    public static let known: [Provider] = [
        .openai, .azure, .anthropic, .gemini, .vertexAI, .cohere, .cohereChat, .bedrock, .mistral, .xai,
        .openrouter, .togetherAI, .ollama, .ollamaChat, .hostedVLLM, .nvidiaNIM, .mock,
    ]

    /// Whether a call to this provider works without an API key (a local server or the mock).
    public var worksWithoutKey: Bool {
        self == .mock || self == .ollama || self == .ollamaChat || self == .hostedVLLM
    }
}
