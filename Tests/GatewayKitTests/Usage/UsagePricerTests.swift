import Testing

@testable import GatewayKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct UsagePricerTests {
    let pricer = UsagePricer(catalog: .builtIn)

    @Test("costs prompt, cached prompt and completion tokens at the catalog's prices, exactly")
    func exactCost() {
        // gpt-4o-mini: $0.15 in, $0.075 cached in, $0.60 out per million tokens.
        let usage = Usage(promptTokens: 1_000, completionTokens: 200, cachedTokens: 400)
        let model = ModelRef(provider: .openai, name: "gpt-4o-mini")
        #expect(pricer.cost(of: usage, for: model) == Decimal(string: "0.00024"))
        let catalog = ModelCatalog.builtIn.cost(of: usage, for: model)
        #expect(abs((catalog?.usd ?? 0) - 0.00024) < 1e-15, "the same figure as ModelCatalog.cost(of:for:)")
        // Asked again, from the remembered prices.
        #expect(pricer.cost(of: usage, for: model) == Decimal(string: "0.00024"))
    }

    @Test("large token counts are still priced to the last digit")
    func largeCounts() {
        // 123,456,789 × $0.15/M + 987,654,321 × $0.60/M, no cached tokens.
        let usage = Usage(promptTokens: 123_456_789, completionTokens: 987_654_321)
        let model = ModelRef(provider: .openai, name: "gpt-4o-mini")
        #expect(pricer.cost(of: usage, for: model) == Decimal(string: "611.11111095"))
    }

    @Test("a dated snapshot is priced as its base model")
    func datedSnapshot() {
        let usage = Usage(promptTokens: 12, completionTokens: 3)
        #expect(
            pricer.cost(of: usage, for: ModelRef(provider: .openai, name: "gpt-4o-2024-08-06"))
                == Decimal(string: "0.00006"))
    }

    @Test("a model the catalog has no price for has no cost, also when asked twice")
    func unpriced() {
        let usage = Usage(promptTokens: 12, completionTokens: 3)
        let custom = ModelRef(provider: .hostedVLLM, name: "my-finetune")
        #expect(pricer.cost(of: usage, for: custom) == nil)
        #expect(pricer.cost(of: usage, for: custom) == nil)
        #expect(pricer.cost(of: usage, for: ModelRef(provider: .mock, name: "echo")) == nil)
    }
}
