import GatewayKit
import GatewayKitPostgres
import Testing

/// Rotating the master key of two running instances sharing PostgreSQL, with traffic flowing.
@Suite struct MasterKeyRotationTests {
    static let old = GatewayFixture.masterKey
    static let new = GatewayFixture.newMasterKey

    @Test("every secret is re-sealed under the new master key online, with no failed request")
    func rotateOnline() async throws {
        try await TestDatabase.with { database in
            // Before the rotation: one instance on the old master key only.
            let keyIDs = try await withGatewayInstance(on: database, masterKey: Self.old) { gateway in
                var ids: [APIKey.ID] = []
                for (index, secret) in GatewayFixture.secrets.keys.sorted().enumerated() {
                    let key = try await gateway.keys.create(
                        .init(name: "Upstream \(index)", provider: GatewayFixture.labelled, secret: secret), by: .admin)
                    try await gateway.endpoints.create(
                        .init(
                            name: "Keyed \(index)", slug: Endpoint.Slug(rawValue: "keyed-\(index)"),
                            model: "labelled/model", apiKeyID: key.id),
                        by: .admin)
                    ids.append(key.id)
                }
                return ids.sorted { $0.rawValue < $1.rawValue }
            }
            let labels = GatewayFixture.secrets.keys.sorted().map { GatewayFixture.secrets[$0] ?? "" }
            let routes = labels.enumerated().map { index, label in
                TrafficGenerator.Route(slug: Endpoint.Slug(rawValue: "keyed-\(index)")) { _, answer in answer == label }
            }

            // During: one instance still seals under the old key but opens the new one; the other
            // seals under the new key and opens the old one. Traffic runs through both.
            try await withGatewayInstance(on: database, masterKey: Self.old, previousMasterKeys: [Self.new]) { a in
                try await withGatewayInstance(on: database, masterKey: Self.new, previousMasterKeys: [Self.old]) { b in
                    let traffic = TrafficGenerator(gateways: [a, b], routes: routes, clients: 10)
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(try await b.keys.keysSealedUnderOldMasterKeys(by: .admin) == keyIDs)
                    #expect(try await b.keys.resealAll(by: .admin) == keyIDs.count)
                    #expect(try await b.keys.keysSealedUnderOldMasterKeys(by: .admin).isEmpty)
                    #expect(try await b.keys.resealAll(by: .admin) == 0)
                    // A reloads the re-sealed keys (it holds the new key as a previous one).
                    try await eventually("A sees the re-sealed versions") {
                        (try? a.keys.list(by: .admin).allSatisfy { $0.version == 2 }) == true
                    }
                    try await Task.sleep(for: .milliseconds(300))
                    let (succeeded, failures) = await traffic.stop()
                    #expect(failures.isEmpty, "\(failures.count) failed requests, first: \(failures.prefix(5))")
                    #expect(succeeded > 50)
                }
            }

            // After: the old key can go. A gateway with only the new key opens every secret.
            try await withGatewayInstance(on: database, masterKey: Self.new) { gateway in
                for (index, label) in labels.enumerated() {
                    #expect(await gateway.answer(Endpoint.Slug(rawValue: "keyed-\(index)")).text == label)
                }
            }
            let oldOnly = await #expect(throws: GatewayError.self) {
                try await withGatewayInstance(on: database, masterKey: Self.old) { _ in }
            }
            #expect(oldOnly?.message.contains("'Upstream 0'") == true)
        }
    }
}
