public import GatewayKit
import Logging
import PostgresNIO

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension PostgresGatewayStore {
    /// Adds an endpoint and notifies every instance, in one transaction.
    /// - Parameter endpoint: the endpoint.
    /// - Throws: `GatewayError` `conflict` when the slug is taken; `storageUnavailable`.
    public func insertEndpoint(_ endpoint: Endpoint) async throws {
        let body = try StoredJSON.encode(endpoint, what: "endpoint")
        let slug = endpoint.slug
        let logger = self.logger
        try await transaction("inserting endpoint '\(slug)'", notifying: .endpoint(slug)) { connection in
            let inserted = try await Self.changedRow(
                connection,
                """
                INSERT INTO gatewaykit_endpoints (slug, version, body, created_at, updated_at)
                VALUES (\(slug.rawValue), \(endpoint.version), \(body)::jsonb, \(endpoint.createdAt), \(endpoint.updatedAt))
                ON CONFLICT DO NOTHING RETURNING 1
                """,
                logger: logger)
            guard inserted else {
                throw GatewayError(.conflict, "an endpoint with slug '\(slug)' already exists", field: "slug")
            }
        }
    }

    /// Replaces an endpoint whose stored version is `expectedVersion`, and notifies every instance.
    /// - Parameters:
    ///   - endpoint: the new endpoint; its `version` is the one stored.
    ///   - expectedVersion: the version the edit was based on.
    /// - Throws: `GatewayError` `conflict` when the stored version differs; `notFound` when
    ///   missing; `storageUnavailable`.
    public func updateEndpoint(_ endpoint: Endpoint, expectedVersion: Int) async throws {
        let body = try StoredJSON.encode(endpoint, what: "endpoint")
        let slug = endpoint.slug
        let logger = self.logger
        try await transaction("updating endpoint '\(slug)'", notifying: .endpoint(slug)) { connection in
            let updated = try await Self.changedRow(
                connection,
                """
                UPDATE gatewaykit_endpoints
                SET version = \(endpoint.version), body = \(body)::jsonb, created_at = \(endpoint.createdAt),
                    updated_at = \(endpoint.updatedAt)
                WHERE slug = \(slug.rawValue) AND version = \(expectedVersion) RETURNING 1
                """,
                logger: logger)
            guard updated else {
                throw try await Self.missingOrStale(
                    connection, "SELECT version FROM gatewaykit_endpoints WHERE slug = \(slug.rawValue)",
                    what: "endpoint '\(slug)'", expectedVersion: expectedVersion, logger: logger)
            }
        }
    }

    /// Deletes an endpoint, only at `expectedVersion` when one is given, and notifies every instance.
    /// - Parameters:
    ///   - slug: the endpoint.
    ///   - expectedVersion: the version it must still have, or `nil` for any.
    /// - Throws: `GatewayError` `notFound` when missing; `conflict` on a version mismatch;
    ///   `storageUnavailable`.
    public func deleteEndpoint(_ slug: Endpoint.Slug, expectedVersion: Int?) async throws {
        let logger = self.logger
        try await transaction("deleting endpoint '\(slug)'", notifying: .endpoint(slug)) { connection in
            let query: PostgresQuery =
                if let expectedVersion {
                    """
                    DELETE FROM gatewaykit_endpoints WHERE slug = \(slug.rawValue) AND version = \(expectedVersion)
                    RETURNING 1
                    """
                } else {
                    "DELETE FROM gatewaykit_endpoints WHERE slug = \(slug.rawValue) RETURNING 1"
                }
            guard try await Self.changedRow(connection, query, logger: logger) else {
                throw try await Self.missingOrStale(
                    connection, "SELECT version FROM gatewaykit_endpoints WHERE slug = \(slug.rawValue)",
                    what: "endpoint '\(slug)'", expectedVersion: expectedVersion, logger: logger)
            }
        }
    }

    /// Adds an API key (its secret already sealed) and notifies every instance.
    /// - Parameter key: the key and its sealed secret.
    /// - Throws: `GatewayError` `conflict` when the id is taken; `storageUnavailable`.
    public func insertAPIKey(_ key: StoredAPIKey) async throws {
        let body = try StoredJSON.encode(key.key, what: "API key")
        let id = key.key.id
        let logger = self.logger
        try await transaction("inserting API key '\(id)'", notifying: .apiKey(id)) { connection in
            let inserted = try await Self.changedRow(
                connection,
                """
                INSERT INTO gatewaykit_api_keys (id, version, name, provider, body, sealed_secret, last_used_at)
                VALUES (\(id.rawValue), \(key.key.version), \(key.key.name), \(key.key.provider.rawValue),
                        \(body)::jsonb, \(key.sealedSecret), \(key.key.lastUsedAt))
                ON CONFLICT DO NOTHING RETURNING 1
                """,
                logger: logger)
            guard inserted else { throw GatewayError(.conflict, "an API key with id '\(id)' already exists") }
        }
    }

    /// Replaces an API key whose stored version is `expectedVersion`, and notifies every instance.
    /// A stored last-used time later than the key's is kept.
    /// - Parameters:
    ///   - key: the new key and sealed secret; its `version` is the one stored.
    ///   - expectedVersion: the version the edit was based on.
    /// - Throws: `GatewayError` `conflict` when the stored version differs; `notFound` when
    ///   missing; `storageUnavailable`.
    public func updateAPIKey(_ key: StoredAPIKey, expectedVersion: Int) async throws {
        let body = try StoredJSON.encode(key.key, what: "API key")
        let id = key.key.id
        let logger = self.logger
        try await transaction("updating API key '\(id)'", notifying: .apiKey(id)) { connection in
            // last_used_at is written by recordAPIKeyUse without a version, so an edit made from an
            // older read must not move it back; GREATEST ignores a NULL on either side.
            let updated = try await Self.changedRow(
                connection,
                """
                UPDATE gatewaykit_api_keys
                SET version = \(key.key.version), name = \(key.key.name), provider = \(key.key.provider.rawValue),
                    body = \(body)::jsonb, sealed_secret = \(key.sealedSecret),
                    last_used_at = GREATEST(last_used_at, \(key.key.lastUsedAt))
                WHERE id = \(id.rawValue) AND version = \(expectedVersion) RETURNING 1
                """,
                logger: logger)
            guard updated else {
                throw try await Self.missingOrStale(
                    connection, "SELECT version FROM gatewaykit_api_keys WHERE id = \(id.rawValue)",
                    what: "API key '\(id)'", expectedVersion: expectedVersion, logger: logger)
            }
        }
    }

    /// Deletes an API key and notifies every instance.
    /// - Parameter id: the key.
    /// - Throws: `GatewayError` `notFound` when missing; `storageUnavailable`.
    public func deleteAPIKey(_ id: APIKey.ID) async throws {
        let logger = self.logger
        try await transaction("deleting API key '\(id)'", notifying: .apiKey(id)) { connection in
            let deleted = try await Self.changedRow(
                connection, "DELETE FROM gatewaykit_api_keys WHERE id = \(id.rawValue) RETURNING 1", logger: logger)
            guard deleted else { throw GatewayError(.notFound, "no API key '\(id)'") }
        }
    }

    /// Moves keys' last-used times forward (never back); keys that no longer exist are ignored.
    /// Sends no notification: last-used times are not part of a gateway's snapshot.
    /// - Parameter uses: when each key was last used.
    /// - Throws: `GatewayError` `storageUnavailable`.
    public func recordAPIKeyUse(_ uses: [APIKey.ID: Date]) async throws {
        guard !uses.isEmpty else { return }
        let logger = self.logger
        // Not versioned and not announced: last-used times are not part of any gateway's snapshot.
        try await transaction("recording API key use", notifying: nil) { connection in
            for (id, usedAt) in uses {
                try await connection.query(
                    """
                    UPDATE gatewaykit_api_keys SET last_used_at = \(usedAt)
                    WHERE id = \(id.rawValue) AND (last_used_at IS NULL OR last_used_at < \(usedAt))
                    """,
                    logger: logger)
            }
        }
    }

    /// Adds an access token and notifies every instance.
    /// - Parameter token: the token (hashed).
    /// - Throws: `GatewayError` `conflict` when the id or the hash is taken; `storageUnavailable`.
    public func insertAccessToken(_ token: AccessToken) async throws {
        let body = try StoredJSON.encode(token, what: "access token")
        let id = token.id
        let logger = self.logger
        try await transaction("inserting access token '\(id)'", notifying: .accessToken(id)) { connection in
            // Without a conflict target, DO NOTHING covers both the id and the hash being taken.
            let inserted = try await Self.changedRow(
                connection,
                """
                INSERT INTO gatewaykit_access_tokens (id, token_hash, body)
                VALUES (\(id.rawValue), \(token.tokenHash), \(body)::jsonb)
                ON CONFLICT DO NOTHING RETURNING 1
                """,
                logger: logger)
            guard inserted else {
                throw GatewayError(.conflict, "an access token with id '\(id)' or the same hash already exists")
            }
        }
    }

    /// Deletes an access token and notifies every instance.
    /// - Parameter id: the token.
    /// - Throws: `GatewayError` `notFound` when missing; `storageUnavailable`.
    public func deleteAccessToken(_ id: AccessToken.ID) async throws {
        let logger = self.logger
        try await transaction("deleting access token '\(id)'", notifying: .accessToken(id)) { connection in
            let deleted = try await Self.changedRow(
                connection, "DELETE FROM gatewaykit_access_tokens WHERE id = \(id.rawValue) RETURNING 1",
                logger: logger)
            guard deleted else { throw GatewayError(.notFound, "no access token '\(id)'") }
        }
    }
}
