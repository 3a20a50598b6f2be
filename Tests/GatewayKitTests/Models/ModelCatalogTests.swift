import Foundation
import Testing

@testable import GatewayKit

@Suite struct ModelCatalogTests {
    let catalog = ModelCatalog.builtIn

    func find(_ model: String) throws -> CatalogModel? {
        catalog.model(for: try ModelRef(parsing: model))
    }

    @Test("every known provider except the mock and the alias prefixes has a model")
    func everyProviderCovered() {
        let skipped: Set<Provider> = [.mock, .cohereChat, .ollamaChat]
        let covered = Set(catalog.models.map(\.ref.provider))
        for provider in Provider.known where !skipped.contains(provider) {
            #expect(covered.contains(provider), "no model for \(provider)")
        }
        #expect(covered.isSubset(of: Set(Provider.known).subtracting(skipped)))
    }

    @Test("ids are unique and equal the model reference")
    func uniqueIDs() {
        let ids = catalog.models.map(\.id)
        #expect(Set(ids).count == ids.count)
        for model in catalog.models { #expect(model.id == model.ref.description) }
    }

    @Test("lookup keys are unique within a provider, so a lookup is never ambiguous")
    func unambiguousLookupKeys() {
        var seen = Set<String>()
        for model in catalog.models {
            let key = "\(model.ref.provider)/\(ModelCatalog.lookupKey(model.ref.name, provider: model.ref.provider))"
            #expect(seen.insert(key).inserted, "\(model.id) shares lookup key \(key)")
        }
    }

    @Test("context windows are positive and max output fits in them")
    func limits() {
        for model in catalog.models {
            #expect(model.contextWindow > 0, "\(model.id)")
            if let maxOutput = model.maxOutputTokens {
                #expect(maxOutput > 0 && maxOutput <= model.contextWindow, "\(model.id)")
            }
            #expect(!model.displayName.isEmpty, "\(model.id)")
        }
    }

    @Test("prices are non-negative, come in input-output pairs and cached never exceeds input")
    func prices() {
        for model in catalog.models {
            #expect((model.inputPricePerMillion == nil) == (model.outputPricePerMillion == nil), "\(model.id)")
            for price in [model.inputPricePerMillion, model.outputPricePerMillion, model.cachedInputPricePerMillion] {
                if let price { #expect(price >= 0, "\(model.id)") }
            }
            if let cached = model.cachedInputPricePerMillion {
                #expect(cached <= (model.inputPricePerMillion ?? -1), "\(model.id)")
            }
        }
    }

    @Test("local providers are unpriced and hosted first-party models are priced")
    func pricedWhereExpected() {
        for model in catalog.models {
            switch model.ref.provider {
            case .ollama, .hostedVLLM, .nvidiaNIM: #expect(!model.isPriced, "\(model.id)")
            case .openai, .azure, .anthropic, .gemini, .vertexAI, .cohere, .bedrock, .mistral, .xai:
                #expect(model.isPriced, "\(model.id)")
            default: break
            }
        }
    }

    @Test("a dated snapshot finds its base entry")
    func datedVariants() throws {
        #expect(try find("openai/gpt-4o-2024-08-06")?.id == "openai/gpt-4o")
        #expect(try find("gpt-4o-mini-2024-07-18")?.id == "openai/gpt-4o-mini")
        #expect(try find("anthropic/claude-sonnet-4-20250514")?.id == "anthropic/claude-sonnet-4-20250514")
        #expect(try find("anthropic/claude-sonnet-4-5")?.id == "anthropic/claude-sonnet-4-5-20250929")
        #expect(try find("anthropic/claude-haiku-4-5-20251001")?.id == "anthropic/claude-haiku-4-5")
        #expect(try find("openrouter/openai/gpt-5-2025-08-07")?.id == "openrouter/openai/gpt-5")
    }

    @Test("Bedrock ids match across region prefixes, the converse path and version suffixes")
    func bedrockVariants() throws {
        let sonnet = "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"
        #expect(try find("bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0")?.id == sonnet)
        #expect(try find("bedrock/eu.anthropic.claude-sonnet-4-5-20250929-v1:0")?.id == sonnet)
        #expect(
            try find("bedrock/converse/global.anthropic.claude-opus-4-6-v1:0")?.id
                == "bedrock/anthropic.claude-opus-4-6-v1:0")
        #expect(try find("bedrock/apac.amazon.nova-pro-v1:0")?.id == "bedrock/amazon.nova-pro-v1:0")
        #expect(try find("bedrock/us.meta.llama3-3-70b-instruct-v1:0")?.id == "bedrock/meta.llama3-3-70b-instruct-v1:0")
    }

    @Test("Vertex versions, alias prefixes and Ollama's latest tag find their entries")
    func otherVariants() throws {
        #expect(try find("vertex_ai/claude-sonnet-4-5")?.id == "vertex_ai/claude-sonnet-4-5@20250929")
        #expect(try find("vertex_ai/gemini-2.5-pro")?.id == "vertex_ai/gemini-2.5-pro")
        #expect(try find("ollama_chat/llama3.2:latest")?.id == "ollama/llama3.2")
        #expect(try find("cohere_chat/command-a-03-2025")?.id == "cohere/command-a-03-2025")
    }

    @Test("an Azure deployment named after an OpenAI model falls back to the OpenAI entry")
    func azureFallback() throws {
        #expect(try find("azure/gpt-4o")?.id == "azure/gpt-4o")
        #expect(try find("azure/o3")?.id == "openai/o3")
        #expect(try find("azure/gpt-5.5-2026-04-23")?.id == "openai/gpt-5.5")
        #expect(try find("azure/prod-chat-deployment") == nil)
        #expect(try find("openai/no-such-model") == nil)
        #expect(try find("mock/echo") == nil)
    }

    @Test("cost of 1,000 prompt and 500 completion tokens on GPT-4o is exactly $0.0075")
    func exactCost() throws {
        let cost = catalog.cost(
            of: Usage(promptTokens: 1_000, completionTokens: 500), for: try ModelRef(parsing: "openai/gpt-4o"))
        #expect(cost == ModelCatalog.Cost(usd: 0.0075, isPriced: true))
    }

    @Test("cached prompt tokens cost the cached price, or the input price when there is none")
    func cachedCost() throws {
        let usage = Usage(promptTokens: 1_000, completionTokens: 500, cachedTokens: 400)
        // 600 × $2.50 + 400 × $1.25 + 500 × $10 = $7,000 per million.
        #expect(catalog.cost(of: usage, for: try ModelRef(parsing: "openai/gpt-4o"))?.usd == 0.007)
        // GPT-6 Astra has no cached price: 1,000 × $10 + 500 × $50 = $35,000 per million.
        #expect(catalog.cost(of: usage, for: try ModelRef(parsing: "openai/gpt-6-astra"))?.usd == 0.035)
        // A dated snapshot costs what its base model costs.
        #expect(catalog.cost(of: usage, for: try ModelRef(parsing: "openai/gpt-4o-2024-11-20"))?.usd == 0.007)
    }

    @Test("a known model without a price is unpriced and an unknown model has no cost")
    func unpricedAndUnknown() throws {
        let usage = Usage(promptTokens: 1_000, completionTokens: 500)
        #expect(
            catalog.cost(of: usage, for: try ModelRef(parsing: "ollama/llama3.2")) == .init(usd: 0, isPriced: false))
        #expect(catalog.cost(of: usage, for: try ModelRef(parsing: "hosted_vllm/some/unknown-model")) == nil)
    }

    @Test("groups follow Provider.known order, then unknown providers in order of appearance")
    func groupedOrder() throws {
        let groups = catalog.grouped()
        let order = groups.map(\.provider)
        #expect(order == Provider.known.filter { order.contains($0) })
        #expect(order.first == .openai)
        for group in groups { #expect(group.models.allSatisfy { $0.ref.provider == group.provider }) }
        #expect(groups.map(\.models.count).reduce(0, +) == catalog.models.count)

        let custom = ModelCatalog(models: [
            CatalogModel(ref: ModelRef(provider: "acme", name: "a"), displayName: "A", contextWindow: 1),
            CatalogModel(ref: ModelRef(provider: .anthropic, name: "b"), displayName: "B", contextWindow: 1),
            CatalogModel(ref: ModelRef(provider: .openai, name: "c"), displayName: "C", contextWindow: 1),
            CatalogModel(ref: ModelRef(provider: .openai, name: "d"), displayName: "D", contextWindow: 1),
        ])
        let customGroups = custom.grouped()
        #expect(customGroups.map(\.provider) == [.openai, .anthropic, "acme"])
        #expect(customGroups[0].models.map(\.ref.name) == ["c", "d"])
    }

    @Test("an entry encodes with snake_case keys and capability names and decodes back")
    func codableRoundTrip() throws {
        let model = try #require(try find("openai/gpt-4o"))
        let data = try JSONEncoder().encode(model)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["id"] as? String == "openai/gpt-4o")
        #expect(json["provider"] as? String == "openai")
        #expect(json["context_window"] as? Int == 128_000)
        #expect(json["capabilities"] as? [String] == ["tools", "vision", "prompt_caching", "structured_output"])
        #expect(try JSONDecoder().decode(CatalogModel.self, from: data) == model)
    }

    @Test("the read date is an ISO 8601 day")
    func readDate() {
        let parts = ModelCatalog.pricesReadOn.split(separator: "-")
        #expect(parts.map(\.count) == [4, 2, 2])
        #expect(parts.allSatisfy { $0.allSatisfy(\.isNumber) })
    }
}
