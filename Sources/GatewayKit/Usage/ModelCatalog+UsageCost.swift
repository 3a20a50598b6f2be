#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ModelCatalog {
    /// The cost of `usage` in exact decimal dollars, by the rules of ``cost(of:for:)`` (cached
    /// prompt tokens at the cached price when there is one); `nil` when the catalog has no price
    /// for the model.
    func decimalCost(of usage: Usage, for ref: ModelRef) -> Decimal? {
        guard let model = model(for: ref), let input = model.inputPricePerMillion.map(Self.decimal),
            let output = model.outputPricePerMillion.map(Self.decimal)
        else { return nil }
        let prompt = max(usage.promptTokens, 0)
        let cached = min(max(usage.cachedTokens ?? 0, 0), prompt)
        let cachedPrice = model.cachedInputPricePerMillion.map(Self.decimal) ?? input
        let perMillion =
            Decimal(prompt - cached) * input + Decimal(cached) * cachedPrice
            + Decimal(max(usage.completionTokens, 0)) * output
        return perMillion / 1_000_000
    }

    // Prices are written as short decimals (2.5, 0.15); the shortest text of the Double is that
    // decimal exactly, where converting the binary value would carry its rounding error.
    private static func decimal(_ price: Double) -> Decimal {
        Decimal(string: "\(price)") ?? Decimal(price)
    }
}
