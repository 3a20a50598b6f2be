/// The active stored rules compiled once per configuration change, listed per endpoint and stage
/// in the order they run: by `order`, then by name.
struct GuardrailSet: Sendable {
    /// The rules covering one endpoint.
    struct Lists: Sendable {
        var input: [CompiledGuardrail] = []
        var output: [CompiledGuardrail] = []

        var count: Int { input.count + output.count }
    }

    /// Rules covering endpoints that no scoped rule names.
    private(set) var everyEndpoint = Lists()
    /// Rules covering endpoints that some scoped rule names, merged with ``everyEndpoint``.
    private(set) var scoped: [Endpoint.Slug: Lists] = [:]
    /// How many active rules there are.
    private(set) var activeCount = 0

    init() {}

    /// Compiles the active rules among `rules`. A rule that does not compile (data written
    /// around validation) blocks everything it covers rather than let text through unchecked.
    init(_ rules: [GuardrailRule]) {
        let active = rules.filter(\.active).sorted {
            ($0.order, $0.name, $0.id.rawValue) < ($1.order, $1.name, $1.id.rawValue)
        }
        guard !active.isEmpty else { return }
        activeCount = active.count
        let compiled = active.map { rule in
            do throws(GatewayError) {
                return try rule.compile()
            } catch {
                return CompiledGuardrail(
                    name: rule.name, stage: rule.stage, action: .block,
                    check: .broken("the rule cannot be compiled (\(error.message)); fix or deactivate it")
                )
            }
        }
        var slugs: Set<Endpoint.Slug> = []
        for rule in active {
            if case .endpoints(let listed) = rule.scope { slugs.formUnion(listed) }
        }
        everyEndpoint = Self.lists(compiled, active) { $0.scope == .everyEndpoint }
        for slug in slugs {
            scoped[slug] = Self.lists(compiled, active) { $0.scope.covers(slug) }
        }
    }

    private static func lists(
        _ compiled: [CompiledGuardrail], _ rules: [GuardrailRule], where covers: (GuardrailRule) -> Bool
    ) -> Lists {
        var lists = Lists()
        for (rule, guardrail) in zip(rules, compiled) where covers(rule) {
            switch rule.stage {
            case .input: lists.input.append(guardrail)
            case .output: lists.output.append(guardrail)
            }
        }
        return lists
    }

    /// The rules covering `slug`.
    func lists(for slug: Endpoint.Slug) -> Lists {
        scoped[slug] ?? everyEndpoint
    }

    /// How many active rules cover `slug`.
    func activeCount(for slug: Endpoint.Slug) -> Int {
        lists(for: slug).count
    }
}
