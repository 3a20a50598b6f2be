extension OpenAICompatibleAdapter {
    /// How one OpenAI-compatible host differs from OpenAI: where it lives, how it authenticates,
    /// how it names the token limit, and which request fields it needs rewritten.
    public struct Configuration: Sendable, Hashable {
        /// The provider's display name, used as the prefix of error messages (`"Mistral"`).
        public var name: String
        /// The base URL including the version path (`https://api.openai.com/v1`), used when the API
        /// key sets no `base_url`; `nil` when every key must set one (Azure, a custom host).
        public var defaultBaseURL: String?
        /// How the secret is sent.
        public var authentication: Authentication
        /// Which body field carries ``ChatRequest/maxTokens``.
        public var tokenLimitField: TokenLimitField
        /// The host's departures from OpenAI's request format.
        public var quirks: Quirks

        /// Creates a configuration.
        /// - Parameters:
        ///   - name: the display name for error messages.
        ///   - defaultBaseURL: the base URL including the version path, or `nil` to require one per key.
        ///   - authentication: how the secret is sent; `Authorization: Bearer` by default.
        ///   - tokenLimitField: the token-limit field; `max_tokens` by default.
        ///   - quirks: request rewrites; none by default.
        public init(
            name: String, defaultBaseURL: String?, authentication: Authentication = .bearer,
            tokenLimitField: TokenLimitField = .maxTokens, quirks: Quirks = []
        ) {
            self.name = name
            self.defaultBaseURL = defaultBaseURL
            self.authentication = authentication
            self.tokenLimitField = tokenLimitField
            self.quirks = quirks
        }
    }

    /// How a secret is sent to an OpenAI-compatible host. Without a secret no credential header
    /// is sent (a local Ollama or vLLM).
    public struct Authentication: Sendable, Hashable {
        enum Base: Sendable, Hashable {
            case bearer
            case header(String)
            case none
        }

        let base: Base

        /// `Authorization: Bearer <secret>`.
        public static let bearer = Authentication(base: .bearer)
        /// No credential, even when the key has a secret.
        public static let none = Authentication(base: .none)
        /// The secret as the whole value of the header `name` (Azure's `api-key`).
        /// - Parameter name: the header name.
        public static func header(_ name: String) -> Authentication { Authentication(base: .header(name)) }
    }

    /// The body field that carries the token limit.
    public struct TokenLimitField: Sendable, Hashable {
        let field: ChatRequest.MaxTokensField

        /// `max_completion_tokens`, OpenAI's current name (required by its reasoning models).
        public static let maxCompletionTokens = TokenLimitField(field: .maxCompletionTokens)
        /// `max_tokens`, the name most compatible hosts read.
        public static let maxTokens = TokenLimitField(field: .maxTokens)
    }

    /// Request rewrites a host needs.
    public struct Quirks: OptionSet, Sendable, Hashable {
        /// The bits of the set.
        public var rawValue: Int

        /// Creates a set from its raw bits.
        /// - Parameter rawValue: the bits.
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Azure OpenAI URLs: `{base}/openai/deployments/{model}/chat/completions?api-version=…`,
        /// unless the base URL already ends with `/openai/v1`.
        public static let azureDeployments = Quirks(rawValue: 1 << 0)
        /// Sends `seed` as `random_seed` (Mistral).
        public static let randomSeed = Quirks(rawValue: 1 << 1)
        /// Sends `tool_choice` `required` or a named function as `"any"` (Mistral).
        public static let toolChoiceAny = Quirks(rawValue: 1 << 2)
        /// Drops extra fields whose value is `null`; the host rejects them (Mistral).
        public static let omitNullExtras = Quirks(rawValue: 1 << 3)
        /// Removes `strict` from tool definitions (xAI).
        public static let omitToolStrict = Quirks(rawValue: 1 << 4)
        /// Drops `tool_choice`; the host does not support it (Ollama).
        public static let omitToolChoice = Quirks(rawValue: 1 << 5)
    }
}

extension OpenAICompatibleAdapter.Configuration {
    /// OpenAI.
    public static let openAI = Self(
        name: "OpenAI", defaultBaseURL: "https://api.openai.com/v1", tokenLimitField: .maxCompletionTokens
    )
    /// Azure OpenAI: the key's `base_url` is the resource URL, the model is the deployment name.
    public static let azure = Self(
        name: "Azure OpenAI", defaultBaseURL: nil, authentication: .header("api-key"),
        tokenLimitField: .maxCompletionTokens, quirks: .azureDeployments
    )
    /// Mistral.
    public static let mistral = Self(
        name: "Mistral", defaultBaseURL: "https://api.mistral.ai/v1",
        quirks: [.randomSeed, .toolChoiceAny, .omitNullExtras]
    )
    /// xAI.
    public static let xAI = Self(name: "xAI", defaultBaseURL: "https://api.x.ai/v1", quirks: .omitToolStrict)
    /// OpenRouter.
    public static let openRouter = Self(name: "OpenRouter", defaultBaseURL: "https://openrouter.ai/api/v1")
    /// Together AI.
    public static let togetherAI = Self(name: "Together AI", defaultBaseURL: "https://api.together.xyz/v1")
    /// Ollama, through its OpenAI-compatible `/v1` API.
    public static let ollama = Self(
        name: "Ollama", defaultBaseURL: "http://localhost:11434/v1", quirks: .omitToolChoice
    )
    /// A vLLM server.
    public static let vLLM = Self(name: "vLLM", defaultBaseURL: "http://localhost:8000/v1")
    /// NVIDIA NIM, hosted; a self-hosted container sets its own `base_url`.
    public static let nvidiaNIM = Self(name: "NVIDIA NIM", defaultBaseURL: "https://integrate.api.nvidia.com/v1")

    /// The configuration for `provider`; a provider GatewayKit does not know is treated as a
    /// generic OpenAI-compatible host whose keys must set `base_url`.
    /// - Parameter provider: the provider.
    public static func standard(for provider: Provider) -> Self {
        switch provider {
        case .openai: .openAI
        case .azure: .azure
        case .mistral: .mistral
        case .xai: .xAI
        case .openrouter: .openRouter
        case .togetherAI: .togetherAI
        case .ollama, .ollamaChat: .ollama
        case .hostedVLLM: .vLLM
        case .nvidiaNIM: .nvidiaNIM
        default: Self(name: provider.rawValue, defaultBaseURL: nil)
        }
    }
}
