/// Checks a draft against the current configuration and turns it into an endpoint's parts.
/// Pure: it reads the snapshot it is given and does no I/O.
struct EndpointValidator {
    var keys: [APIKey.ID: APIKey]
    var endpoints: [Endpoint.Slug: Endpoint]
    var registry: ProviderRegistry

    struct Result {
        var targets: [Endpoint.Target]
        var timeoutMilliseconds: Int
    }

    /// Validates `draft` as the endpoint `slug` (already decided: generated or custom).
    func validate(_ draft: Endpoint.Draft, as slug: Endpoint.Slug) throws(GatewayError) -> Result {
        if draft.name.trimmingWhitespace().isEmpty {
            throw GatewayError.invalid("name", "name must not be empty")
        }
        if let problem = Endpoint.Slug.problem(with: slug.rawValue) {
            throw GatewayError.invalid("slug", "slug '\(slug)' is invalid: \(problem)")
        }
        let targets = try validateTargets(draft)
        if let temperature = draft.temperature, !(0...2).contains(temperature) {
            throw GatewayError.invalid("temperature", "temperature must be between 0 and 2, not \(temperature)")
        }
        if let maxTokens = draft.maxTokens, maxTokens <= 0 {
            throw GatewayError.invalid("max_tokens", "max_tokens must be a positive number, not \(maxTokens)")
        }
        if let rpm = draft.rateLimitRPM, rpm <= 0 {
            throw GatewayError.invalid(
                "rate_limit_rpm", "rate_limit_rpm must be a positive number (omit it for no limit), not \(rpm)"
            )
        }
        if draft.allowedRoles.isEmpty {
            throw GatewayError.invalid("allowed_roles", "allowed_roles must name at least one role")
        }
        let milliseconds = draft.timeout.milliseconds
        guard milliseconds > 0 else {
            throw GatewayError.invalid("timeout_ms", "timeout_ms must be a positive number of milliseconds")
        }
        try validateFallbacks(draft.fallbacks, of: slug)
        return Result(targets: targets, timeoutMilliseconds: milliseconds)
    }

    private func validateTargets(_ draft: Endpoint.Draft) throws(GatewayError) -> [Endpoint.Target] {
        let drafts: [(Endpoint.Draft.Target, String)]
        if let targets = draft.targets, !targets.isEmpty {
            if draft.model != nil {
                throw GatewayError.invalid("targets", "give either model and api_key_id, or targets, not both")
            }
            drafts = targets.enumerated().map { ($1, "targets[\($0)].") }
        } else if let model = draft.model {
            drafts = [(Endpoint.Draft.Target(model: model, apiKeyID: draft.apiKeyID, weight: 1), "")]
        } else {
            throw GatewayError.invalid("model", "model is required (or targets, to split traffic)")
        }
        var targets: [Endpoint.Target] = []
        for (target, path) in drafts {
            let model = try ModelRef(parsing: target.model, providers: registry.providers, field: path + "model")
            try validateKey(target.apiKeyID, for: model, field: path + "api_key_id")
            guard target.weight.isFinite, target.weight >= 0 else {
                throw GatewayError.invalid(path + "weight", "weight must be zero or more, not \(target.weight)")
            }
            targets.append(Endpoint.Target(model: model, apiKeyID: target.apiKeyID, weight: target.weight))
        }
        if targets.reduce(0, { $0 + $1.weight }) <= 0 {
            throw GatewayError.invalid("targets", "the target weights must not all be zero")
        }
        return targets
    }

    private func validateKey(_ id: APIKey.ID?, for model: ModelRef, field: String) throws(GatewayError) {
        guard let id else {
            if !registry.requiresKey(model.provider) { return }
            throw GatewayError.invalid(field, "\(field) is required for provider \(model.provider)")
        }
        guard let key = keys[id] else {
            throw GatewayError.invalid(field, "unknown API key '\(id)'")
        }
        guard key.provider.servesSameAPI(as: model.provider) else {
            throw GatewayError.invalid(
                field, "API key '\(id)' is for provider \(key.provider), but the model is \(model)"
            )
        }
    }

    private func validateFallbacks(_ fallbacks: [Endpoint.Slug], of slug: Endpoint.Slug) throws(GatewayError) {
        var seen: Set<Endpoint.Slug> = []
        for fallback in fallbacks {
            if fallback == slug {
                throw GatewayError.invalid("fallbacks", "an endpoint cannot fall back to itself ('\(slug)')")
            }
            guard endpoints[fallback] != nil else {
                throw GatewayError.invalid("fallbacks", "unknown fallback endpoint '\(fallback)'")
            }
            guard seen.insert(fallback).inserted else {
                throw GatewayError.invalid("fallbacks", "fallback '\(fallback)' is listed twice")
            }
        }
        if let cycle = FallbackGraph(endpoints: endpoints).cycle(through: slug, withFallbacks: fallbacks) {
            let path = cycle.map(\.rawValue).joined(separator: " → ")
            throw GatewayError.invalid("fallbacks", "fallbacks would form a cycle: \(path)")
        }
    }
}

/// The fallback relation between endpoints, for cycle checks.
struct FallbackGraph {
    var endpoints: [Endpoint.Slug: Endpoint]

    /// The cycle `slug` would be on if its fallbacks were `fallbacks`, as a path from `slug` back
    /// to itself, or `nil` if there is none.
    func cycle(through slug: Endpoint.Slug, withFallbacks fallbacks: [Endpoint.Slug]) -> [Endpoint.Slug]? {
        var visited: Set<Endpoint.Slug> = []
        func search(_ node: Endpoint.Slug, path: [Endpoint.Slug]) -> [Endpoint.Slug]? {
            let next = node == slug ? fallbacks : endpoints[node]?.fallbacks ?? []
            for child in next {
                if child == slug { return path + [child] }
                guard visited.insert(child).inserted else { continue }
                if let found = search(child, path: path + [child]) { return found }
            }
            return nil
        }
        return search(slug, path: [slug])
    }
}

extension Provider {
    /// Whether a key for `self` can serve a model of `other` (aliases of one API share keys).
    func servesSameAPI(as other: Provider) -> Bool {
        canonical == other.canonical
    }

    private var canonical: Provider {
        switch self {
        case .cohereChat: .cohere
        case .ollamaChat: .ollama
        default: self
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    /// Seconds as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
