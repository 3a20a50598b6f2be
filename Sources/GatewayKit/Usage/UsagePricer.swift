import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Costs usage with a catalog's prices, remembering each model's prices: finding a model in the
/// catalog compares lookup keys entry by entry, too slow to repeat on every request.
final class UsagePricer: Sendable {
    /// A model's prices in USD per token, as exact decimals: the catalog's price per million
    /// shifted six places, so costing a record multiplies and never divides (Decimal division
    /// was the most expensive step of pricing a record).
    struct Prices: Sendable {
        var input: Decimal
        var output: Decimal
        var cachedInput: Decimal
    }

    private let catalog: ModelCatalog
    // `nil` inside: the catalog has no price for the model.
    private let known = Mutex<[ModelRef: Prices?]>([:])

    init(catalog: ModelCatalog) {
        self.catalog = catalog
    }

    /// The cost of `usage` by the rules of ``ModelCatalog/cost(of:for:)`` (cached prompt tokens at
    /// the cached price when there is one), in exact decimal dollars; `nil` when the catalog has
    /// no price for the model.
    func cost(of usage: Usage, for ref: ModelRef) -> Decimal? {
        guard let prices = prices(for: ref) else { return nil }
        let prompt = max(usage.promptTokens, 0)
        let cached = min(max(usage.cachedTokens ?? 0, 0), prompt)
        var cost = Decimal(prompt - cached) * prices.input
        if cached > 0 { cost += Decimal(cached) * prices.cachedInput }
        return cost + Decimal(max(usage.completionTokens, 0)) * prices.output
    }

    func prices(for ref: ModelRef) -> Prices? {
        if let found = known.withLock({ $0[ref] }) { return found }
        var prices: Prices?
        if let model = catalog.model(for: ref), let input = model.inputPricePerMillion.map(Self.decimal),
            let output = model.outputPricePerMillion.map(Self.decimal)
        {
            prices = Prices(
                input: input, output: output, cachedInput: model.cachedInputPricePerMillion.map(Self.decimal) ?? input
            )
        }
        // Endpoints name a bounded set of models, so the cache stays small.
        known.withLock { $0[ref] = .some(prices) }
        return prices
    }

    // Prices are written as short decimals (2.5, 0.15); the shortest text of the Double is that
    // decimal exactly, where converting the binary value would carry its rounding error. Dividing
    // by a power of ten only moves the exponent, so the per-token price stays exact.
    private static func decimal(_ price: Double) -> Decimal {
        (Decimal(string: "\(price)") ?? Decimal(price)) / 1_000_000
    }
}
