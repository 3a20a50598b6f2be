#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ConfigWriter {
    // MARK: API keys

    func createKey(_ draft: APIKey.Draft) async throws -> APIKey {
        try await serially {
            try Self.checkKey(name: draft.name, secret: draft.secret, provider: draft.provider, providers: registry.providers)
            let key = APIKey(
                id: .generate(), name: draft.name.trimmingWhitespace(), provider: draft.provider,
                settings: draft.settings, masked: draft.secret.masked, version: 1, createdAt: now()
            )
            try await store.insertAPIKey(StoredAPIKey(key: key, sealedSecret: try sealer.seal(draft.secret)))
            live.update { $0.keys[key.id] = LiveKey(key: key, secret: draft.secret) }
            return key
        }
    }

    func updateKey(_ id: APIKey.ID, _ change: APIKey.Change, expectedVersion: Int?) async throws -> APIKey {
        try await serially {
            guard let current = live.current.keys[id] else { throw GatewayError.notFound("no API key '\(id)'") }
            let expected = expectedVersion ?? current.key.version
            guard current.key.version == expected else { throw Self.stale("API key '\(id)'", current.key.version, expected) }
            var key = current.key
            let secret = change.secret ?? current.secret
            if let name = change.name { key.name = name.trimmingWhitespace() }
            if let settings = change.settings { key.settings = settings }
            try Self.checkKey(name: key.name, secret: secret, provider: key.provider, providers: registry.providers)
            key.masked = secret.masked
            key.version += 1
            try await store.updateAPIKey(StoredAPIKey(key: key, sealedSecret: try sealer.seal(secret)), expectedVersion: expected)
            live.update { $0.keys[id] = LiveKey(key: key, secret: secret) }
            return key
        }
    }

    func deleteKey(_ id: APIKey.ID) async throws {
        try await serially {
            let snapshot = live.current
            guard snapshot.keys[id] != nil else { throw GatewayError.notFound("no API key '\(id)'") }
            let users = snapshot.endpoints.values.filter { $0.targets.contains { $0.apiKeyID == id } }.map(\.slug).sorted()
            if !users.isEmpty {
                let names = users.map { "'\($0)'" }.joined(separator: ", ")
                throw GatewayError(.conflict, "API key '\(id)' is used by endpoints \(names); change them first")
            }
            try await store.deleteAPIKey(id)
            live.update { $0.keys[id] = nil }
        }
    }

    private static func checkKey(name: String, secret: Secret, provider: Provider, providers: [Provider]) throws(GatewayError) {
        if name.trimmingWhitespace().isEmpty { throw GatewayError.invalid("name", "name must not be empty") }
        if secret.isEmpty && !provider.worksWithoutKey {
            throw GatewayError.invalid("secret", "secret must not be empty")
        }
        guard providers.contains(provider) else {
            let names = providers.map(\.rawValue).joined(separator: ", ")
            throw GatewayError.invalid("provider", "unknown provider '\(provider)': use one of \(names)")
        }
    }

    // MARK: Access tokens

    func createToken(name: String, role: Role) async throws -> IssuedAccessToken {
        try await serially {
            if name.trimmingWhitespace().isEmpty { throw GatewayError.invalid("name", "name must not be empty") }
            let secret = AccessToken.generateToken()
            let token = AccessToken(
                id: .generate(), name: name.trimmingWhitespace(), role: role, tokenHash: AccessToken.hash(secret),
                prefix: String(secret.prefix(8)), createdAt: now()
            )
            try await store.insertAccessToken(token)
            live.update { $0.insert(token) }
            return IssuedAccessToken(token: token, secret: Secret(secret))
        }
    }

    /// Stores a token whose value the operator chose (the server's seeded admin token).
    func seedToken(name: String, role: Role, secret: Secret) async throws -> AccessToken {
        try await serially {
            let hash = AccessToken.hash(secret.reveal())
            if let existing = live.current.tokensByHash[hash] { return existing }
            let token = AccessToken(
                id: .generate(), name: name, role: role, tokenHash: hash, prefix: String(secret.reveal().prefix(8)),
                createdAt: now()
            )
            do {
                try await store.insertAccessToken(token)
            } catch let error as GatewayError where error.code == .conflict {
                // Another instance sharing the store seeded the same token first: take theirs.
                try await reloadLocked()
                if let existing = live.current.tokensByHash[hash] { return existing }
                throw error
            }
            live.update { $0.insert(token) }
            return token
        }
    }

    func deleteToken(_ id: AccessToken.ID) async throws {
        try await serially {
            guard live.current.tokens[id] != nil else { throw GatewayError.notFound("no access token '\(id)'") }
            try await store.deleteAccessToken(id)
            live.update { $0.removeToken(id) }
        }
    }
}
