/// Picks one of an endpoint's targets with probability proportional to its weight.
struct TrafficSplit {
    /// The index of the picked target. Targets with weight 0 are never picked unless all are 0,
    /// in which case the first is.
    static func pick(_ targets: [Endpoint.Target], using generator: inout some RandomNumberGenerator) -> Int {
        guard targets.count > 1 else { return 0 }
        let total = targets.reduce(0) { $0 + max($1.weight, 0) }
        guard total > 0 else { return 0 }
        var point = Double.random(in: 0..<total, using: &generator)
        for (index, target) in targets.enumerated() where target.weight > 0 {
            if point < target.weight { return index }
            point -= target.weight
        }
        // Rounding can leave `point` a hair past the last weight.
        return targets.lastIndex { $0.weight > 0 } ?? 0
    }
}

/// The order in which a call tries endpoints: the one called, then its fallbacks depth first
/// (each fallback's own fallbacks before the next one), each endpoint at most once.
struct FallbackChain {
    static func order(from slug: Endpoint.Slug, in endpoints: [Endpoint.Slug: Endpoint]) -> [Endpoint.Slug] {
        var order: [Endpoint.Slug] = []
        var seen: Set<Endpoint.Slug> = []
        func visit(_ slug: Endpoint.Slug) {
            guard seen.insert(slug).inserted else { return }
            order.append(slug)
            for fallback in endpoints[slug]?.fallbacks ?? [] { visit(fallback) }
        }
        visit(slug)
        return order
    }
}

extension Endpoint {
    /// Applies this endpoint's defaults: the system prompt goes first; temperature applies when
    /// the request has none; max tokens applies when the request has none and caps a larger one.
    func applyDefaults(to request: inout ChatRequest) {
        if let systemPrompt, !systemPrompt.isEmpty {
            request.messages.insert(.system(systemPrompt), at: 0)
        }
        if request.temperature == nil { request.temperature = temperature }
        if let maxTokens {
            request.maxTokens = min(request.maxTokens ?? maxTokens, maxTokens)
        }
    }
}
