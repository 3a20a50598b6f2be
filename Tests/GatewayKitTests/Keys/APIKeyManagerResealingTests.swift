import GatewayKit
import Synchronization
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct APIKeyManagerResealingTests {
    static let oldKey = testMasterKey
    static let newKey = "rotated-master-key-fedcba9876543210fedcba"

    @Test("re-sealing moves every stored secret under the current master key, bumping versions")
    func resealsUnderCurrentKey() async throws {
        let store = InMemoryGatewayStore()
        let before = try await Gateway(store: store, masterKey: Self.oldKey)
        let first = try await before.keys.create(
            .init(name: "First", provider: .openai, secret: "sk-first-1111"), by: .admin)
        let second = try await before.keys.create(
            .init(name: "Second", provider: .openai, secret: "sk-second-2222"), by: .admin)

        let rotating = try await Gateway(store: store, masterKey: Self.newKey, previousMasterKeys: [Self.oldKey])
        let expected = [first.id, second.id].sorted { $0.rawValue < $1.rawValue }
        #expect(try await rotating.keys.keysSealedUnderOldMasterKeys(by: .admin) == expected)
        #expect(try await rotating.keys.resealAll(by: .admin) == 2)
        #expect(try await rotating.keys.keysSealedUnderOldMasterKeys(by: .admin).isEmpty)

        let newID = try SecretSealer(masterKey: Secret(Self.newKey)).currentKeyID
        let stored = try await store.load().apiKeys
        #expect(stored.allSatisfy { SecretSealer.keyID(of: $0.sealedSecret) == newID })
        #expect(stored.allSatisfy { $0.key.version == 2 })
        // The rotating gateway's own view moved with the store, so its next edit is not stale.
        #expect(try rotating.keys.list(by: .admin).map(\.version) == [2, 2])
        try await rotating.keys.update(first.id, .init(name: "First, renamed"), by: .admin)

        let after = try await Gateway(store: store, masterKey: Self.newKey)
        #expect(try after.keys.list(by: .admin).map(\.masked).sorted() == ["sk-…1111", "sk-…2222"])
    }

    @Test("keys already sealed under the current master key are not rewritten")
    func leavesCurrentKeysAlone() async throws {
        let store = InMemoryGatewayStore()
        let gateway = try await Gateway(store: store, masterKey: Self.newKey, previousMasterKeys: [Self.oldKey])
        try await gateway.keys.create(.init(name: "Current", provider: .openai, secret: "sk-current-3333"), by: .admin)
        #expect(try await gateway.keys.resealAll(by: .admin) == 0)
        #expect(try await store.load().apiKeys.map(\.key.version) == [1])
    }

    @Test("a key edited elsewhere during re-sealing is read again, re-sealed, and keeps the edit")
    func retriesAfterConflict() async throws {
        let inner = InMemoryGatewayStore()
        let before = try await Gateway(store: inner, masterKey: Self.oldKey)
        try await before.keys.create(.init(name: "Raced", provider: .openai, secret: "sk-raced-4444"), by: .admin)

        let store = RacingStore(inner)
        let rotating = try await Gateway(store: store, masterKey: Self.newKey, previousMasterKeys: [Self.oldKey])
        #expect(try await rotating.keys.resealAll(by: .admin) == 1)
        #expect(store.racedWrites == 1)
        let stored = try #require(try await inner.load().apiKeys.first)
        #expect(stored.key.name == "Raced, renamed elsewhere")
        #expect(stored.key.version == 3)
        #expect(try await rotating.keys.keysSealedUnderOldMasterKeys(by: .admin).isEmpty)
    }

    @Test("a secret sealed under a master key the gateway lacks is named, after the others are re-sealed")
    func namesUnopenableKeys() async throws {
        let store = InMemoryGatewayStore()
        let before = try await Gateway(store: store, masterKey: Self.oldKey)
        try await before.keys.create(.init(name: "Openable", provider: .openai, secret: "sk-open-5555"), by: .admin)
        let rotating = try await Gateway(store: store, masterKey: Self.newKey, previousMasterKeys: [Self.oldKey])

        // Another instance adds a key sealed under a third master key.
        let stranger = try SecretSealer(masterKey: Secret("a-third-master-key-nobody-here-holds-0000"))
        let foreign = StoredAPIKey(
            key: APIKey(
                id: "key_foreign", name: "Foreign", provider: .openai, settings: .init(), masked: "sk-…6666",
                version: 1,
                createdAt: Date()),
            sealedSecret: try stranger.seal(Secret("sk-foreign-6666")))
        try await store.insertAPIKey(foreign)

        let error = await #expect(throws: GatewayError.self) { try await rotating.keys.resealAll(by: .admin) }
        #expect(error?.code == .internal)
        #expect(error?.message.contains("'Foreign' (key_foreign)") == true)
        #expect(error.map { !String(reflecting: $0).contains("sk-foreign") } == true)
        #expect(try await rotating.keys.keysSealedUnderOldMasterKeys(by: .admin) == ["key_foreign"])
    }

    @Test("only an Admin may re-seal or list keys under old master keys")
    func adminOnly() async throws {
        let gateway = try await makeGateway()
        for role in [Role.editor, .reviewer, .auditor] {
            let reseal = await gatewayError { try await gateway.keys.resealAll(by: Caller(role: role)) }
            #expect(reseal?.code == .forbidden)
            let list = await gatewayError {
                _ = try await gateway.keys.keysSealedUnderOldMasterKeys(by: Caller(role: role))
            }
            #expect(list?.code == .forbidden)
        }
    }
}

// Stands for another instance editing a key at the worst moment: just before the first re-sealed
// write of each key lands, it renames the key (keeping its old sealing) and bumps its version.
private final class RacingStore: ForwardingGatewayStore {
    let base: InMemoryGatewayStore
    private let raced = Mutex<Set<APIKey.ID>>([])

    init(_ base: InMemoryGatewayStore) { self.base = base }

    var racedWrites: Int { raced.withLock { $0.count } }

    func updateAPIKey(_ key: StoredAPIKey, expectedVersion: Int) async throws {
        let first = raced.withLock { $0.insert(key.key.id).inserted }
        if first, let current = try await base.load().apiKeys.first(where: { $0.key.id == key.key.id }) {
            var edit = current
            edit.key.name += ", renamed elsewhere"
            edit.key.version += 1
            try await base.updateAPIKey(edit, expectedVersion: current.key.version)
        }
        try await base.updateAPIKey(key, expectedVersion: expectedVersion)
    }
}
