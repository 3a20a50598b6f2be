import GRDB
public import GatewayKit

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension SQLiteGatewayStore {
    public func insertEndpoint(_ endpoint: Endpoint) async throws {
        let body = try StoredJSON.encode(endpoint, what: "endpoint")
        let slug = endpoint.slug
        try await write("inserting endpoint '\(slug)'", reporting: .endpoint(slug)) { db in
            guard try !Self.exists(db, "SELECT 1 FROM endpoints WHERE slug = ?", slug.rawValue) else {
                throw GatewayError(.conflict, "an endpoint with slug '\(slug)' already exists", field: "slug")
            }
            try db.execute(
                sql: "INSERT INTO endpoints (slug, version, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    slug.rawValue, endpoint.version, body, endpoint.createdAt.timeIntervalSince1970,
                    endpoint.updatedAt.timeIntervalSince1970,
                ]
            )
        }
    }

    public func updateEndpoint(_ endpoint: Endpoint, expectedVersion: Int) async throws {
        let body = try StoredJSON.encode(endpoint, what: "endpoint")
        let slug = endpoint.slug
        try await write("updating endpoint '\(slug)'", reporting: .endpoint(slug)) { db in
            try db.execute(
                sql: """
                    UPDATE endpoints SET version = ?, body = ?, created_at = ?, updated_at = ?
                    WHERE slug = ? AND version = ?
                    """,
                arguments: [
                    endpoint.version, body, endpoint.createdAt.timeIntervalSince1970,
                    endpoint.updatedAt.timeIntervalSince1970, slug.rawValue, expectedVersion,
                ]
            )
            try Self.requireChanged(
                db, table: "endpoints", column: "slug", id: slug.rawValue,
                what: "endpoint '\(slug)'", expectedVersion: expectedVersion)
        }
    }

    public func deleteEndpoint(_ slug: Endpoint.Slug, expectedVersion: Int?) async throws {
        try await write("deleting endpoint '\(slug)'", reporting: .endpoint(slug)) { db in
            if let expectedVersion {
                try db.execute(
                    sql: "DELETE FROM endpoints WHERE slug = ? AND version = ?",
                    arguments: [slug.rawValue, expectedVersion]
                )
            } else {
                try db.execute(sql: "DELETE FROM endpoints WHERE slug = ?", arguments: [slug.rawValue])
            }
            try Self.requireChanged(
                db, table: "endpoints", column: "slug", id: slug.rawValue,
                what: "endpoint '\(slug)'", expectedVersion: expectedVersion)
        }
    }

    public func insertAPIKey(_ key: StoredAPIKey) async throws {
        let body = try StoredJSON.encode(key.key, what: "API key")
        let id = key.key.id
        try await write("inserting API key '\(id)'", reporting: .apiKey(id)) { db in
            guard try !Self.exists(db, "SELECT 1 FROM api_keys WHERE id = ?", id.rawValue) else {
                throw GatewayError(.conflict, "an API key with id '\(id)' already exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO api_keys (id, version, name, provider, body, sealed_secret, last_used_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id.rawValue, key.key.version, key.key.name, key.key.provider.rawValue, body, key.sealedSecret,
                    key.key.lastUsedAt?.timeIntervalSince1970,
                ]
            )
        }
    }

    public func updateAPIKey(_ key: StoredAPIKey, expectedVersion: Int) async throws {
        let body = try StoredJSON.encode(key.key, what: "API key")
        let id = key.key.id
        try await write("updating API key '\(id)'", reporting: .apiKey(id)) { db in
            // last_used_at is written by recordAPIKeyUse without a version, so an edit made from an
            // older read must not move it back.
            try db.execute(
                sql: """
                    UPDATE api_keys SET version = :version, name = :name, provider = :provider, body = :body,
                        sealed_secret = :sealed,
                        last_used_at = MAX(COALESCE(last_used_at, :lastUsed), COALESCE(:lastUsed, last_used_at))
                    WHERE id = :id AND version = :expected
                    """,
                arguments: [
                    "version": key.key.version, "name": key.key.name, "provider": key.key.provider.rawValue,
                    "body": body, "sealed": key.sealedSecret, "lastUsed": key.key.lastUsedAt?.timeIntervalSince1970,
                    "id": id.rawValue, "expected": expectedVersion,
                ]
            )
            try Self.requireChanged(
                db, table: "api_keys", column: "id", id: id.rawValue,
                what: "API key '\(id)'", expectedVersion: expectedVersion)
        }
    }

    public func deleteAPIKey(_ id: APIKey.ID) async throws {
        try await write("deleting API key '\(id)'", reporting: .apiKey(id)) { db in
            try db.execute(sql: "DELETE FROM api_keys WHERE id = ?", arguments: [id.rawValue])
            guard db.changesCount > 0 else { throw GatewayError(.notFound, "no API key '\(id)'") }
        }
    }

    public func recordAPIKeyUse(_ uses: [APIKey.ID: Date]) async throws {
        guard !uses.isEmpty else { return }
        let rows = uses.map { ($0.key.rawValue, $0.value.timeIntervalSince1970) }
        try await write("recording API key use", reporting: nil) { db in
            for (id, usedAt) in rows {
                try db.execute(
                    sql: """
                        UPDATE api_keys SET last_used_at = ?
                        WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)
                        """,
                    arguments: [usedAt, id, usedAt]
                )
            }
        }
    }

    public func insertAccessToken(_ token: AccessToken) async throws {
        let body = try StoredJSON.encode(token, what: "access token")
        let id = token.id
        try await write("inserting access token '\(id)'", reporting: .accessToken(id)) { db in
            guard try !Self.exists(db, "SELECT 1 FROM access_tokens WHERE id = ?", id.rawValue) else {
                throw GatewayError(.conflict, "an access token with id '\(id)' already exists")
            }
            guard try !Self.exists(db, "SELECT 1 FROM access_tokens WHERE token_hash = ?", token.tokenHash) else {
                throw GatewayError(.conflict, "an access token with the same token hash already exists")
            }
            try db.execute(
                sql: "INSERT INTO access_tokens (id, token_hash, body) VALUES (?, ?, ?)",
                arguments: [id.rawValue, token.tokenHash, body]
            )
        }
    }

    public func deleteAccessToken(_ id: AccessToken.ID) async throws {
        try await write("deleting access token '\(id)'", reporting: .accessToken(id)) { db in
            try db.execute(sql: "DELETE FROM access_tokens WHERE id = ?", arguments: [id.rawValue])
            guard db.changesCount > 0 else { throw GatewayError(.notFound, "no access token '\(id)'") }
        }
    }

    static func exists(_ db: Database, _ sql: String, _ value: String) throws -> Bool {
        try Bool.fetchOne(db, sql: sql, arguments: [value]) ?? false
    }

    // After a versioned UPDATE or DELETE: no row changed means the record is missing (`notFound`)
    // or holds another version (`conflict`); the transaction is still open, so the answer is exact.
    static func requireChanged(
        _ db: Database, table: String, column: String, id: String, what: String, expectedVersion: Int?
    ) throws {
        guard db.changesCount == 0 else { return }
        let stored = try Int.fetchOne(db, sql: "SELECT version FROM \(table) WHERE \(column) = ?", arguments: [id])
        guard let stored else { throw GatewayError(.notFound, "no \(what)") }
        throw GatewayError(
            .conflict,
            "\(what) was changed by someone else (version \(stored), you edited \(expectedVersion ?? stored)); "
                + "reload and retry"
        )
    }
}
