/// The models GatewayKit knows by name: the model picker's list, grouped by provider, and the prices that
/// turn token usage into cost.
///
/// ``builtIn`` holds the popular models of every known provider as published on the providers' pricing and
/// model pages (see ``pricesReadOn``). Prices change often; an application that bills from them should
/// supply its own catalog, for example `ModelCatalog(models: ModelCatalog.builtIn.models + mine)`.
public struct ModelCatalog: Sendable {
    /// The models, in picker order.
    public var models: [CatalogModel]

    /// Creates a catalog.
    /// - Parameter models: the models, in picker order. When two share an `id`, lookups return the first.
    public init(models: [CatalogModel]) {
        self.models = models
    }

    /// The catalog that ships with GatewayKit.
    public static let builtIn = ModelCatalog(
        models: openAIModels + azureModels + anthropicModels + geminiModels + vertexAIModels + cohereModels
            + bedrockModels + mistralModels + xAIModels + openRouterModels + togetherAIModels + ollamaModels
            + hostedVLLMModels + nvidiaNIMModels
    )

    /// The day the built-in figures were last read from the providers' pages (ISO 8601).
    ///
    /// Individual figures were published between mid-2025 and November 2026; the data files note the source
    /// and, where a price is temporary or tiered, which tier the catalog records.
    public static let pricesReadOn = "2026-11-21"

    /// Finds the catalog entry for a model.
    ///
    /// Matching is deliberately simple:
    /// 1. an entry with exactly this reference;
    /// 2. an entry of the same provider whose name has the same *lookup key*: lower-cased, with a dated
    ///    snapshot suffix (`-2024-08-06`, `-20250514`), a Vertex version (`@20250929`), an Ollama `:latest`
    ///    tag, and for Bedrock a region prefix (`us.`, `eu.`, `apac.`, `global.`, …) and a version suffix
    ///    (`-v1:0`) removed. So `openai/gpt-4o-2024-08-06` finds `openai/gpt-4o` and
    ///    `bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0` finds the Bedrock Claude Sonnet 4.5 entry.
    ///    A dated snapshot is priced as its base model even where an old snapshot once cost more;
    /// 3. for `azure/<deployment>`, whose deployment names are chosen by the user, the OpenAI entry found
    ///    by steps 1 and 2 for `openai/<deployment>`.
    ///
    /// `cohere_chat/…` and `ollama_chat/…` are looked up as `cohere/…` and `ollama/…`.
    /// - Parameter ref: the model to find.
    /// - Returns: the entry, or `nil` when the catalog does not know the model.
    public func model(for ref: ModelRef) -> CatalogModel? {
        let provider = ModelCatalog.canonicalProvider(ref.provider)
        let wanted = ModelRef(provider: provider, name: ref.name)
        if let exact = models.first(where: { $0.ref == wanted }) { return exact }
        let key = ModelCatalog.lookupKey(wanted.name, provider: provider)
        if let match = models.first(where: {
            $0.ref.provider == provider && ModelCatalog.lookupKey($0.ref.name, provider: provider) == key
        }) {
            return match
        }
        if provider == .azure { return model(for: ModelRef(provider: .openai, name: ref.name)) }
        return nil
    }

    /// The models grouped by provider, in ``Provider/known`` order, for the model picker.
    ///
    /// Providers without models are left out; providers outside ``Provider/known`` follow in the order they
    /// first appear. Within a group the catalog order is kept.
    /// - Returns: one group per provider that has models.
    public func grouped() -> [(provider: Provider, models: [CatalogModel])] {
        var order = Provider.known
        for model in models where !order.contains(model.ref.provider) { order.append(model.ref.provider) }
        return order.compactMap { provider in
            let members = models.filter { $0.ref.provider == provider }
            return members.isEmpty ? nil : (provider: provider, models: members)
        }
    }

    /// The cost of one call's usage.
    ///
    /// Uncached prompt tokens are charged at the input price, cached prompt tokens (`usage.cachedTokens`,
    /// a part of `promptTokens`) at the cached price when the entry has one and at the input price otherwise,
    /// and completion tokens (reasoning included) at the output price. Cache writes, long-context surcharges
    /// and batch discounts are not modelled.
    /// - Parameters:
    ///   - usage: the token counts the provider reported.
    ///   - ref: the model that served the call; found as ``model(for:)`` finds it.
    /// - Returns: `nil` when the catalog does not know the model; a cost with `isPriced == false` and
    ///   `usd == 0` when it knows the model but no price; otherwise the cost in USD.
    public func cost(of usage: Usage, for ref: ModelRef) -> Cost? {
        guard let model = model(for: ref) else { return nil }
        guard let input = model.inputPricePerMillion, let output = model.outputPricePerMillion else {
            return Cost(usd: 0, isPriced: false)
        }
        let prompt = max(usage.promptTokens, 0)
        let cached = min(max(usage.cachedTokens ?? 0, 0), prompt)
        let cachedPrice = model.cachedInputPricePerMillion ?? input
        let micros =
            Double(prompt - cached) * input + Double(cached) * cachedPrice
            + Double(max(usage.completionTokens, 0)) * output
        return Cost(usd: micros / 1_000_000, isPriced: true)
    }

    /// What one call cost.
    public struct Cost: Sendable, Hashable, Codable {
        /// The cost in US dollars; `0` when ``isPriced`` is `false`.
        public var usd: Double
        /// Whether the catalog had a price for the model; `false` marks the usage record unpriced.
        public var isPriced: Bool

        /// Creates a cost.
        /// - Parameters:
        ///   - usd: the cost in US dollars.
        ///   - isPriced: whether a price was known.
        public init(usd: Double, isPriced: Bool) {
            self.usd = usd
            self.isPriced = isPriced
        }
    }
}
