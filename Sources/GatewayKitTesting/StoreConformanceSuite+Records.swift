import GatewayKit

extension StoreConformanceSuite.Check {
    /// Round trips and taken ids.
    static var records: [Self] {
        [
            Self("an endpoint round-trips every field") { store, fixtures in
                let full = fixtures.fullEndpoint()
                let minimal = fixtures.minimalEndpoint()
                try await store.insertEndpoint(full)
                try await store.insertEndpoint(minimal)
                try await requireStored(full, in: store, "after inserting an endpoint with every field set")
                try await requireStored(minimal, in: store, "after inserting an endpoint with no optional field")
            },
            Self("an API key round-trips settings, sealed secret and dates") { store, fixtures in
                let full = fixtures.fullKey()
                let minimal = fixtures.minimalKey()
                try await store.insertAPIKey(full)
                try await store.insertAPIKey(minimal)
                try await requireStored(full, in: store, "after inserting an API key with every field set")
                try await requireStored(minimal, in: store, "after inserting an API key with no optional field")
            },
            Self("an access token round-trips every field") { store, fixtures in
                let admin = fixtures.token("admin", role: .admin)
                let auditor = fixtures.token("auditor", role: .auditor)
                try await store.insertAccessToken(admin)
                try await store.insertAccessToken(auditor)
                try await requireStored(admin, in: store, "after inserting an admin token")
                try await requireStored(auditor, in: store, "after inserting an auditor token")
            },
            Self("inserting a taken endpoint slug is a conflict") { store, fixtures in
                let original = fixtures.fullEndpoint()
                try await store.insertEndpoint(original)
                var duplicate = fixtures.minimalEndpoint()
                duplicate.slug = original.slug
                try await requireError(.conflict, "inserting endpoint '\(original.slug)' twice") {
                    try await store.insertEndpoint(duplicate)
                }
                try await requireStored(original, in: store, "after a rejected duplicate insert")
            },
            Self("inserting a taken API key id is a conflict") { store, fixtures in
                let original = fixtures.fullKey()
                try await store.insertAPIKey(original)
                var duplicate = fixtures.minimalKey()
                duplicate.key.id = original.key.id
                try await requireError(.conflict, "inserting API key '\(original.key.id)' twice") {
                    try await store.insertAPIKey(duplicate)
                }
                try await requireStored(original, in: store, "after a rejected duplicate insert")
            },
            Self("inserting a taken access token id is a conflict") { store, fixtures in
                let original = fixtures.token("first")
                try await store.insertAccessToken(original)
                var duplicate = fixtures.token("second")
                duplicate.id = original.id
                try await requireError(.conflict, "inserting access token '\(original.id)' twice") {
                    try await store.insertAccessToken(duplicate)
                }
                try await requireStored(original, in: store, "after a rejected duplicate insert")
            },
            Self("inserting a taken access token hash is a conflict") { store, fixtures in
                let original = fixtures.token("first")
                try await store.insertAccessToken(original)
                var duplicate = fixtures.token("second")
                duplicate.tokenHash = original.tokenHash
                try await requireError(.conflict, "inserting a second access token with the same hash") {
                    try await store.insertAccessToken(duplicate)
                }
                let contents = try await store.load()
                try require(
                    contents.accessToken(duplicate.id) == nil, "the rejected token '\(duplicate.id)' was stored")
                try await requireStored(original, in: store, "after a rejected duplicate hash")
            },
            Self("deleting removes the record") { store, fixtures in
                let endpoint = fixtures.minimalEndpoint()
                let key = fixtures.minimalKey()
                let token = fixtures.token("gone")
                try await store.insertEndpoint(endpoint)
                try await store.insertAPIKey(key)
                try await store.insertAccessToken(token)
                try await store.deleteEndpoint(endpoint.slug, expectedVersion: nil)
                try await store.deleteAPIKey(key.key.id)
                try await store.deleteAccessToken(token.id)
                let contents = try await store.load()
                try require(
                    contents.endpoint(endpoint.slug) == nil, "endpoint '\(endpoint.slug)' is still stored after delete")
                try require(contents.apiKey(key.key.id) == nil, "API key '\(key.key.id)' is still stored after delete")
                try require(
                    contents.accessToken(token.id) == nil, "access token '\(token.id)' is still stored after delete")
                // A deleted slug may be used again.
                try await store.insertEndpoint(endpoint)
                try await requireStored(endpoint, in: store, "after inserting a deleted slug again")
            },
            Self("recording API key use sets lastUsedAt and ignores unknown keys") { store, fixtures in
                let key = fixtures.minimalKey()
                try await store.insertAPIKey(key)
                let used = StoreConformanceSuite.Fixtures.updated
                try await store.recordAPIKeyUse([key.key.id: used, fixtures.keyID("unknown"): used])
                var expected = key
                expected.key.lastUsedAt = used
                try await requireStored(expected, in: store, "after recording a use")
                let contents = try await store.load()
                try require(
                    contents.apiKey(fixtures.keyID("unknown")) == nil, "recording a use of an unknown key created a key"
                )
            },
        ]
    }
}
