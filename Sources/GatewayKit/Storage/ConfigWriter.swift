#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one place a gateway writes its configuration: validate against the live snapshot, write
/// to the store, then apply the change to the snapshot. Writes run one at a time, so validation
/// (unique slugs, fallback cycles, keys in use) sees every earlier write of this instance.
actor ConfigWriter {
    let store: any GatewayStore
    let live: LiveConfiguration
    let sealer: SecretSealer
    let registry: ProviderRegistry
    let now: @Sendable () -> Date

    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var writeCount = 0

    init(store: any GatewayStore, live: LiveConfiguration, sealer: SecretSealer, registry: ProviderRegistry, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.live = live
        self.sealer = sealer
        self.registry = registry
        self.now = now
    }

    /// Runs `body` with no other write of this gateway in progress.
    func serially<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        while busy {
            await withCheckedContinuation { waiters.append($0) }
        }
        busy = true
        defer {
            busy = false
            if !waiters.isEmpty { waiters.removeFirst().resume() }
        }
        writeCount += 1
        return try await body()
    }

    /// Replaces the snapshot with the store's contents. A local write that lands during the load
    /// makes it load again, so a reload never hides a write this instance just made.
    func reload() async throws {
        while true {
            // A load that starts while a local write is in flight can read the store from before
            // that write commits and would then drop it from the snapshot until the next change:
            // wait for the write to finish first.
            if busy { try await serially {} }
            let before = writeCount
            let contents = try await store.load()
            let snapshot = try ConfigSnapshot(contents, sealer: sealer)
            if before == writeCount && !busy {
                live.update { $0 = snapshot }
                return
            }
        }
    }

    /// Reloads from inside ``serially(_:)``: no local write can interleave, so the load is current.
    func reloadLocked() async throws {
        let snapshot = try ConfigSnapshot(try await store.load(), sealer: sealer)
        live.update { $0 = snapshot }
    }

    // MARK: Endpoints

    func createEndpoint(_ draft: Endpoint.Draft) async throws -> Endpoint {
        try await serially {
            let snapshot = live.current
            var slug: Endpoint.Slug
            if let custom = draft.slug {
                slug = try Endpoint.Slug(validating: custom.rawValue)
                if snapshot.endpoints[slug] != nil {
                    throw GatewayError(.conflict, "an endpoint with slug '\(slug)' already exists", field: "slug")
                }
            } else {
                let base = Endpoint.Slug.generate(from: draft.name)
                slug = base
                var number = 2
                while snapshot.endpoints[slug] != nil {
                    slug = base.withSuffix(number)
                    number += 1
                }
            }
            let result = try validator(snapshot).validate(draft, as: slug)
            let time = now()
            let endpoint = Endpoint(draft, slug: slug, result: result, version: 1, createdAt: time, updatedAt: time)
            try await store.insertEndpoint(endpoint)
            live.update { $0.endpoints[slug] = endpoint }
            return endpoint
        }
    }

    func updateEndpoint(_ slug: Endpoint.Slug, draft: Endpoint.Draft, expectedVersion: Int) async throws -> Endpoint {
        try await serially {
            let snapshot = live.current
            guard let current = snapshot.endpoints[slug] else { throw GatewayError.notFound("no endpoint '\(slug)'") }
            if let newSlug = draft.slug, newSlug != slug {
                throw GatewayError.invalid("slug", "an endpoint's slug cannot change; create a new endpoint instead")
            }
            guard current.version == expectedVersion else { throw Self.stale("endpoint '\(slug)'", current.version, expectedVersion) }
            let result = try validator(snapshot).validate(draft, as: slug)
            let endpoint = Endpoint(
                draft, slug: slug, result: result, version: current.version + 1, createdAt: current.createdAt, updatedAt: now()
            )
            try await store.updateEndpoint(endpoint, expectedVersion: expectedVersion)
            live.update { $0.endpoints[slug] = endpoint }
            return endpoint
        }
    }

    func deleteEndpoint(_ slug: Endpoint.Slug, expectedVersion: Int?) async throws {
        try await serially {
            let snapshot = live.current
            guard let current = snapshot.endpoints[slug] else { throw GatewayError.notFound("no endpoint '\(slug)'") }
            if let expectedVersion, current.version != expectedVersion {
                throw Self.stale("endpoint '\(slug)'", current.version, expectedVersion)
            }
            let dependents = snapshot.endpoints.values.filter { $0.fallbacks.contains(slug) }.map(\.slug).sorted()
            if !dependents.isEmpty {
                let names = dependents.map { "'\($0)'" }.joined(separator: ", ")
                throw GatewayError(
                    .conflict, "endpoint '\(slug)' is a fallback of \(names); remove it from their fallbacks first"
                )
            }
            let judged = snapshot.guardrailsJudging(with: slug).map(\.name).sorted()
            if !judged.isEmpty {
                let names = judged.map { "'\($0)'" }.joined(separator: ", ")
                throw GatewayError(
                    .conflict, "endpoint '\(slug)' judges guardrail rules \(names); change or delete those rules first"
                )
            }
            try await store.deleteEndpoint(slug, expectedVersion: expectedVersion)
            live.update { $0.endpoints[slug] = nil }
        }
    }

    private func validator(_ snapshot: ConfigSnapshot) -> EndpointValidator {
        EndpointValidator(keys: snapshot.apiKeys, endpoints: snapshot.endpoints, registry: registry)
    }

    static func stale(_ what: String, _ stored: Int, _ expected: Int) -> GatewayError {
        GatewayError(
            .conflict, "\(what) was changed by someone else (version \(stored), you edited \(expected)); reload and retry",
            field: "version"
        )
    }
}

extension Endpoint {
    init(_ draft: Draft, slug: Slug, result: EndpointValidator.Result, version: Int, createdAt: Date, updatedAt: Date) {
        self.init(
            slug: slug, name: draft.name.trimmingWhitespace(), targets: result.targets, maxTokens: draft.maxTokens,
            temperature: draft.temperature, systemPrompt: draft.systemPrompt, rateLimitRPM: draft.rateLimitRPM,
            fallbacks: draft.fallbacks, allowedRoles: draft.allowedRoles, isActive: draft.isActive,
            timeoutMilliseconds: result.timeoutMilliseconds, version: version, createdAt: createdAt, updatedAt: updatedAt
        )
    }
}
