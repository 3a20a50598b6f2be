extension Endpoint {
    /// What a caller gives to create or edit an endpoint. Every field is checked by the gateway,
    /// and each error names its field.
    public struct Draft: Sendable, Hashable {
        /// A target as a caller writes it: a model string, a key and a weight.
        public struct Target: Sendable, Hashable {
            /// The model string (`openai/gpt-4o`).
            public var model: String
            /// The API key; may be omitted only for a provider that needs none.
            public var apiKeyID: APIKey.ID?
            /// The relative share of traffic; at least 0, and the weights must not all be 0.
            public var weight: Double

            /// Creates a target.
            public init(model: String, apiKeyID: APIKey.ID? = nil, weight: Double = 1) {
                self.model = model
                self.apiKeyID = apiKeyID
                self.weight = weight
            }
        }

        /// The display name; the slug is generated from it unless ``slug`` is set.
        public var name: String
        /// A custom slug; validated and must be unused.
        public var slug: Slug?
        /// The model of a one-target endpoint; use ``targets`` to split traffic.
        public var model: String?
        /// The key of a one-target endpoint.
        public var apiKeyID: APIKey.ID?
        /// Weighted targets; replaces ``model`` and ``apiKeyID`` when set.
        public var targets: [Target]?
        /// Max tokens default and cap; positive.
        public var maxTokens: Int?
        /// Temperature default, 0–2.
        public var temperature: Double?
        /// Prepended to every request.
        public var systemPrompt: String?
        /// Requests per minute; positive, or `nil` for unlimited.
        public var rateLimitRPM: Int?
        /// Endpoints to fall back to, in order.
        public var fallbacks: [Slug]
        /// Roles that may see and call the endpoint; not empty.
        public var allowedRoles: Set<Role>
        /// Whether it answers.
        public var isActive: Bool
        /// The upstream timeout; positive.
        public var timeout: Duration

        /// Creates a draft.
        /// - Parameters:
        ///   - name: the display name.
        ///   - slug: a custom slug, or `nil` to generate one from `name`.
        ///   - model: the model string of a one-target endpoint.
        ///   - apiKeyID: the key of a one-target endpoint.
        ///   - targets: weighted targets, instead of `model` and `apiKeyID`.
        ///   - maxTokens: max tokens default and cap.
        ///   - temperature: temperature default.
        ///   - systemPrompt: prepended to every request.
        ///   - rateLimitRPM: requests per minute, or `nil` for unlimited.
        ///   - fallbacks: endpoints to fall back to, in order.
        ///   - allowedRoles: roles that may see and call it.
        ///   - isActive: whether it answers.
        ///   - timeout: the upstream timeout.
        public init(
            name: String, slug: Slug? = nil, model: String? = nil, apiKeyID: APIKey.ID? = nil,
            targets: [Target]? = nil, maxTokens: Int? = nil, temperature: Double? = nil,
            systemPrompt: String? = nil, rateLimitRPM: Int? = nil, fallbacks: [Slug] = [],
            allowedRoles: Set<Role> = Set(Role.allCases), isActive: Bool = true,
            timeout: Duration = Endpoint.defaultTimeout
        ) {
            self.name = name
            self.slug = slug
            self.model = model
            self.apiKeyID = apiKeyID
            self.targets = targets
            self.maxTokens = maxTokens
            self.temperature = temperature
            self.systemPrompt = systemPrompt
            self.rateLimitRPM = rateLimitRPM
            self.fallbacks = fallbacks
            self.allowedRoles = allowedRoles
            self.isActive = isActive
            self.timeout = timeout
        }

        /// A draft holding an existing endpoint's settings, to edit.
        public init(_ endpoint: Endpoint) {
            self.init(
                name: endpoint.name, slug: endpoint.slug, maxTokens: endpoint.maxTokens,
                temperature: endpoint.temperature, systemPrompt: endpoint.systemPrompt,
                rateLimitRPM: endpoint.rateLimitRPM, fallbacks: endpoint.fallbacks,
                allowedRoles: endpoint.allowedRoles, isActive: endpoint.isActive, timeout: endpoint.timeout
            )
            if endpoint.targets.count == 1, let target = endpoint.targets.first {
                model = target.model.description
                apiKeyID = target.apiKeyID
            } else {
                targets = endpoint.targets.map {
                    Target(model: $0.model.description, apiKeyID: $0.apiKeyID, weight: $0.weight)
                }
            }
        }
    }
}
