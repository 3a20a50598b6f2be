/// One model of the ``ModelCatalog``: what it is called, how much it reads and writes, what it costs and
/// what it can do.
///
/// Prices are USD per million tokens at the provider's standard (on-demand, non-batch) tier. A `nil` price
/// means the catalog knows no price, as for a self-hosted model; usage accounting then marks the call
/// unpriced rather than free.
public struct CatalogModel: Sendable, Hashable, Codable, Identifiable {
    /// The model reference (`openai/gpt-4o`).
    public let ref: ModelRef
    /// The stable identifier, `ref.description` (`openai/gpt-4o`).
    public let id: String
    /// The name shown in the model picker (`GPT-4o`).
    public var displayName: String
    /// The most tokens the model reads and writes in one request.
    public var contextWindow: Int
    /// The most tokens the model writes in one response, when the provider states it.
    public var maxOutputTokens: Int?
    /// USD per million prompt tokens, or `nil` when the model has no known price.
    public var inputPricePerMillion: Double?
    /// USD per million completion tokens (reasoning included), or `nil` when the model has no known price.
    public var outputPricePerMillion: Double?
    /// USD per million prompt tokens read from the provider's cache, when the provider prices them apart.
    public var cachedInputPricePerMillion: Double?
    /// What the model supports.
    public var capabilities: Capabilities

    /// Creates a catalog entry.
    /// - Parameters:
    ///   - ref: the model reference; ``id`` is its description.
    ///   - displayName: the name shown in the model picker.
    ///   - contextWindow: the most tokens read and written in one request.
    ///   - maxOutputTokens: the most tokens written in one response, if stated.
    ///   - inputPricePerMillion: USD per million prompt tokens, `nil` when unknown.
    ///   - outputPricePerMillion: USD per million completion tokens, `nil` when unknown.
    ///   - cachedInputPricePerMillion: USD per million cached prompt tokens, `nil` when not priced apart.
    ///   - capabilities: what the model supports.
    public init(
        ref: ModelRef, displayName: String, contextWindow: Int, maxOutputTokens: Int? = nil,
        inputPricePerMillion: Double? = nil, outputPricePerMillion: Double? = nil,
        cachedInputPricePerMillion: Double? = nil, capabilities: Capabilities = []
    ) {
        self.ref = ref
        self.id = ref.description
        self.displayName = displayName
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.inputPricePerMillion = inputPricePerMillion
        self.outputPricePerMillion = outputPricePerMillion
        self.cachedInputPricePerMillion = cachedInputPricePerMillion
        self.capabilities = capabilities
    }

    /// Whether the catalog knows both the input and the output price.
    public var isPriced: Bool { inputPricePerMillion != nil && outputPricePerMillion != nil }

    /// What a model supports, as far as the catalog records it.
    public struct Capabilities: OptionSet, Sendable, Hashable, Codable {
        /// The bit pattern.
        public let rawValue: Int

        /// Creates capabilities from their bit pattern.
        /// - Parameter rawValue: the bit pattern.
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Calls tools (functions).
        public static let tools = Capabilities(rawValue: 1 << 0)
        /// Reads images.
        public static let vision = Capabilities(rawValue: 1 << 1)
        /// Reasons before it answers (thinking or reasoning tokens).
        public static let reasoning = Capabilities(rawValue: 1 << 2)
        /// Reads repeated prompt prefixes from a provider cache at a lower price.
        public static let promptCaching = Capabilities(rawValue: 1 << 3)
        /// Answers in a requested JSON schema.
        public static let structuredOutput = Capabilities(rawValue: 1 << 4)

        // The JSON names, in a fixed order so encoding is stable.
        static let names: [(String, Capabilities)] = [
            ("tools", .tools), ("vision", .vision), ("reasoning", .reasoning),
            ("prompt_caching", .promptCaching), ("structured_output", .structuredOutput),
        ]

        /// Decodes capabilities from a JSON array of names; names it does not know are ignored.
        /// - Parameter decoder: the decoder.
        /// - Throws: `DecodingError` when the value is not an array of strings.
        public init(from decoder: any Decoder) throws {
            let given = Set(try decoder.singleValueContainer().decode([String].self))
            self = Capabilities(Capabilities.names.filter { given.contains($0.0) }.map(\.1))
        }

        /// Encodes capabilities as a JSON array of names (`["tools","vision"]`).
        /// - Parameter encoder: the encoder.
        /// - Throws: `EncodingError` from the encoder.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(Capabilities.names.filter { contains($0.1) }.map(\.0))
        }
    }

    enum CodingKeys: String, CodingKey {
        case id
        case provider
        case displayName = "display_name"
        case contextWindow = "context_window"
        case maxOutputTokens = "max_output_tokens"
        case inputPricePerMillion = "input_price_per_million"
        case outputPricePerMillion = "output_price_per_million"
        case cachedInputPricePerMillion = "cached_input_price_per_million"
        case capabilities
    }

    /// Decodes an entry; the reference is read from `id` (`openai/gpt-4o`).
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` when a field is missing, has the wrong type, or `id` is no model string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            ref: try container.decode(ModelRef.self, forKey: .id),
            displayName: try container.decode(String.self, forKey: .displayName),
            contextWindow: try container.decode(Int.self, forKey: .contextWindow),
            maxOutputTokens: try container.decodeIfPresent(Int.self, forKey: .maxOutputTokens),
            inputPricePerMillion: try container.decodeIfPresent(Double.self, forKey: .inputPricePerMillion),
            outputPricePerMillion: try container.decodeIfPresent(Double.self, forKey: .outputPricePerMillion),
            cachedInputPricePerMillion: try container.decodeIfPresent(
                Double.self, forKey: .cachedInputPricePerMillion),
            capabilities: try container.decodeIfPresent(Capabilities.self, forKey: .capabilities) ?? []
        )
    }

    /// Encodes the entry with snake_case keys, its provider beside its `id`, and absent prices left out.
    /// - Parameter encoder: the encoder.
    /// - Throws: `EncodingError` from the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(ref.provider, forKey: .provider)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(contextWindow, forKey: .contextWindow)
        try container.encodeIfPresent(maxOutputTokens, forKey: .maxOutputTokens)
        try container.encodeIfPresent(inputPricePerMillion, forKey: .inputPricePerMillion)
        try container.encodeIfPresent(outputPricePerMillion, forKey: .outputPricePerMillion)
        try container.encodeIfPresent(cachedInputPricePerMillion, forKey: .cachedInputPricePerMillion)
        try container.encode(capabilities, forKey: .capabilities)
    }
}
