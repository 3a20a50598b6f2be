import GRDB
import GatewayKit
import GatewayKitTesting
import Testing

@testable import GatewayKitSQLite

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct SQLiteGatewayStoreTests {
    static let fast = SQLiteGatewayStore.Configuration(changePollInterval: .milliseconds(50))

    @Test("a store on a file passes the conformance suite", arguments: StoreConformanceSuite.Check.all)
    func conformance(_ check: StoreConformanceSuite.Check) async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.databasePath
            try await StoreConformanceSuite(makeStore: { try SQLiteGatewayStore(path: path) }).run(check)
        }
    }

    @Test("the in-memory store passes the conformance suite")
    func inMemoryConformance() async throws {
        try await StoreConformanceSuite(makeStore: { try SQLiteGatewayStore.inMemory() }).run()
    }

    @Test("a reopened file loads exactly what was written")
    func reopen() async throws {
        try await TemporaryDirectory.with { directory in
            let expected = StoreContents(
                endpoints: [Fixture.endpoint("alpha"), Fixture.endpoint("beta", version: 7)],
                apiKeys: [Fixture.key("key_one", lastUsedAt: Fixture.date.addingTimeInterval(30))],
                accessTokens: [Fixture.token("tok_one")]
            )
            let first = try SQLiteGatewayStore(path: directory.databasePath)
            for endpoint in expected.endpoints { try await first.insertEndpoint(endpoint) }
            for key in expected.apiKeys { try await first.insertAPIKey(key) }
            for token in expected.accessTokens { try await first.insertAccessToken(token) }
            try first.close()

            do {
                // Released without close(): deinit closes the file, and a third open sees it all.
                let second = try SQLiteGatewayStore(path: directory.databasePath)
                #expect(try await second.load() == expected)
                try await second.insertEndpoint(Fixture.endpoint("gamma"))
            }

            let third = try SQLiteGatewayStore(path: directory.databasePath)
            #expect(try await third.load().endpoints.map(\.slug) == ["alpha", "beta", "gamma"])
        }
    }

    @Test("two instances on one file write concurrently and keep every record")
    func concurrentWriters() async throws {
        try await TemporaryDirectory.with { directory in
            let stores = [
                try SQLiteGatewayStore(path: directory.databasePath),
                try SQLiteGatewayStore(path: directory.databasePath),
            ]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, store) in stores.enumerated() {
                    for number in 0..<50 {
                        group.addTask { try await store.insertEndpoint(Fixture.endpoint("store-\(index)-\(number)")) }
                    }
                }
                try await group.waitForAll()
            }
            let reader = try SQLiteGatewayStore(path: directory.databasePath)
            let slugs = Set(try await reader.load().endpoints.map(\.slug.rawValue))
            let expected = Set((0..<2).flatMap { index in (0..<50).map { "store-\(index)-\($0)" } })
            #expect(slugs == expected)
        }
    }

    @Test("instances opening a new file at the same time all get the migrated schema")
    func concurrentFirstOpen() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.databasePath
            let stores = try await withThrowingTaskGroup(of: SQLiteGatewayStore.self) { group in
                for _ in 0..<8 { group.addTask { try SQLiteGatewayStore(path: path) } }
                return try await group.reduce(into: [SQLiteGatewayStore]()) { $0.append($1) }
            }
            for (index, store) in stores.enumerated() {
                try await store.insertEndpoint(Fixture.endpoint("opened-\(index)"))
            }
            #expect(try await stores[0].load().endpoints.count == 8)
        }
    }

    @Test("an edit based on a stale read in another instance is a conflict and changes nothing")
    func staleVersionAcrossInstances() async throws {
        try await TemporaryDirectory.with { directory in
            let first = try SQLiteGatewayStore(path: directory.databasePath)
            let second = try SQLiteGatewayStore(path: directory.databasePath)
            try await first.insertEndpoint(Fixture.endpoint("shared"))
            let seenBySecond = try #require(try await second.load().endpoints.first)

            var edit = seenBySecond
            edit.name = "first's edit"
            edit.version = 2
            try await first.updateEndpoint(edit, expectedVersion: 1)

            var staleEdit = seenBySecond
            staleEdit.name = "second's edit"
            staleEdit.version = 2
            let error = await #expect(throws: GatewayError.self) {
                try await second.updateEndpoint(staleEdit, expectedVersion: seenBySecond.version)
            }
            #expect(error?.code == .conflict)
            #expect(try await second.load().endpoints == [edit])
            let deleteError = await #expect(throws: GatewayError.self) {
                try await second.deleteEndpoint("shared", expectedVersion: 1)
            }
            #expect(deleteError?.code == .conflict)
        }
    }

    @Test("an API key's secret is stored sealed: the plain secret is not in the file or its log")
    func secretsStoredSealed() async throws {
        try await TemporaryDirectory.with { directory in
            let plain = "sk-test-SUPERSECRET-1234567890"
            let sealer = try SecretSealer(masterKey: Secret(String(repeating: "k", count: 32)))
            let sealed = try sealer.seal(Secret(plain))
            var key = Fixture.key("key_sealed")
            key.sealedSecret = sealed
            key.key.masked = Secret(plain).masked

            let store = try SQLiteGatewayStore(path: directory.databasePath)
            try await store.insertAPIKey(key)
            let whileOpen = try directory.databaseBytes()
            // The sealed form is there, so the search reads the right bytes…
            #expect(whileOpen.contains { $0.bytes.contains(bytes: Array(sealed.utf8)) })
            // …and the plain secret is nowhere.
            for file in whileOpen {
                #expect(!file.bytes.contains(bytes: Array(plain.utf8)), "plain secret found in \(file.file)")
            }
            let loaded = try #require(try await store.load().apiKeys.first)
            #expect(try sealer.open(loaded.sealedSecret).reveal() == plain)

            try store.close()
            for file in try directory.databaseBytes() {
                #expect(
                    !file.bytes.contains(bytes: Array(plain.utf8)), "plain secret found in \(file.file) after close")
            }
        }
    }

    @Test("a write by another instance on the same file is reported as everything")
    func changesFromAnotherInstance() async throws {
        try await TemporaryDirectory.with { directory in
            let watcher = try SQLiteGatewayStore(path: directory.databasePath, configuration: Self.fast)
            let writer = try SQLiteGatewayStore(path: directory.databasePath, configuration: Self.fast)
            let changes = watcher.changes()
            try await writer.insertEndpoint(Fixture.endpoint("from-elsewhere"))
            let first = try await firstChange(of: changes, within: .seconds(5))
            #expect(first == .everything)
        }
    }

    @Test("a store's own writes are reported once, by name, not again as a foreign write")
    func ownWritesNotReportedTwice() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteGatewayStore(path: directory.databasePath, configuration: Self.fast)
            let collected = Task {
                var seen: [StoreChange] = []
                for await change in store.changes() { seen.append(change) }
                return seen
            }
            try await Task.sleep(for: .milliseconds(100))
            try await store.insertEndpoint(Fixture.endpoint("mine"))
            // Several poll intervals: a poll that mistook this write for a foreign one would report it.
            try await Task.sleep(for: .milliseconds(400))
            collected.cancel()
            #expect(await collected.value == [.endpoint("mine")])
        }
    }

    @Test("the poll for foreign writes stops when the last listener goes away")
    func pollStopsWithoutListeners() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteGatewayStore(path: directory.databasePath, configuration: Self.fast)
            #expect(!store.feed.isPolling)
            let first = Task { for await _ in store.changes() {} }
            let second = Task { for await _ in store.changes() {} }
            try await waitUntil { store.feed.isPolling }
            first.cancel()
            await first.value
            #expect(store.feed.isPolling)
            second.cancel()
            await second.value
            try await waitUntil { !store.feed.isPolling }
        }
    }

    @Test("releasing the store ends its change streams")
    func releaseEndsStreams() async throws {
        try await TemporaryDirectory.with { directory in
            var store: SQLiteGatewayStore? = try SQLiteGatewayStore(
                path: directory.databasePath, configuration: Self.fast)
            let changes = try #require(store).changes()
            let ended = Task {
                for await _ in changes {}
                return true
            }
            store = nil
            let result = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { await ended.value }
                group.addTask {
                    try await Task.sleep(for: .seconds(5))
                    return false
                }
                defer { group.cancelAll() }
                return try await group.next() ?? false
            }
            ended.cancel()
            #expect(result, "the change stream did not end after the store was released")
        }
    }

    @Test("a file that cannot be opened is storageUnavailable with the SQLite error underneath")
    func openFailure() async throws {
        try await TemporaryDirectory.with { directory in
            let missingDirectory = directory.url.appendingPathComponent("missing/gateway.sqlite").path
            let error = #expect(throws: GatewayError.self) { try SQLiteGatewayStore(path: missingDirectory) }
            #expect(error?.code == .storageUnavailable)
            #expect(error?.underlying != nil)

            try Data("this is not a database, just text that is long enough".utf8)
                .write(to: URL(fileURLWithPath: directory.databasePath))
            let notADatabase = #expect(throws: GatewayError.self) {
                try SQLiteGatewayStore(path: directory.databasePath)
            }
            #expect(notADatabase?.code == .storageUnavailable)
        }
    }

    @Test("every connection to a file keeps at most the configured page cache: 256 KiB unless set")
    func pageCache() async throws {
        try await TemporaryDirectory.with { directory in
            for (configuration, kib) in [(SQLiteGatewayStore.Configuration(), 256), (.init(pageCacheBytes: 3 << 20), 3072)] {
                let store = try SQLiteGatewayStore(path: directory.databasePath, configuration: configuration)
                let query = "PRAGMA cache_size"
                #expect(try await store.database.write { try Int.fetchOne($0, sql: query) } == -kib)
                #expect(try await store.database.read { try Int.fetchOne($0, sql: query) } == -kib)
                // The store works on the smaller cache as on SQLite's default.
                try await store.insertEndpoint(Fixture.endpoint("cached-\(kib)"))
                #expect(try await store.load().endpoints.map(\.slug.rawValue).contains("cached-\(kib)"))
                try store.close()
            }
        }
    }

    @Test("calls on a closed store are storageUnavailable")
    func closedStore() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteGatewayStore(path: directory.databasePath)
            try store.close()
            let error = await #expect(throws: GatewayError.self) { try await store.load() }
            #expect(error?.code == .storageUnavailable)
            let writeError = await #expect(throws: GatewayError.self) {
                try await store.insertEndpoint(Fixture.endpoint("late"))
            }
            #expect(writeError?.code == .storageUnavailable)
        }
    }
}

private func firstChange(of changes: AsyncStream<StoreChange>, within timeout: Duration) async throws -> StoreChange? {
    try await withThrowingTaskGroup(of: StoreChange?.self) { group in
        group.addTask {
            for await change in changes { return change }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
}

private func waitUntil(_ condition: () -> Bool, within timeout: Duration = .seconds(5)) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while !condition() {
        try #require(clock.now < deadline, "condition not met within \(timeout)")
        try await Task.sleep(for: .milliseconds(10))
    }
}

// Records with whole-second dates, so values round-trip exactly through any date column.
enum Fixture {
    static let date = Date(timeIntervalSince1970: 1_750_000_000)

    static func endpoint(_ slug: String, version: Int = 1) -> Endpoint {
        Endpoint(
            slug: Endpoint.Slug(rawValue: slug), name: slug,
            targets: [.init(model: ModelRef(provider: .openai, name: "gpt-4o"), apiKeyID: "key_one", weight: 2)],
            temperature: 0.5, fallbacks: ["other"], allowedRoles: [.admin, .editor], version: version,
            createdAt: date, updatedAt: date.addingTimeInterval(1)
        )
    }

    static func key(_ id: String, lastUsedAt: Date? = nil) -> StoredAPIKey {
        StoredAPIKey(
            key: APIKey(
                id: APIKey.ID(rawValue: id), name: "key \(id)", provider: .openai,
                settings: .init(baseURL: "https://api.openai.com/v1"), masked: "sk-…abcd", version: 1,
                createdAt: date, lastUsedAt: lastUsedAt
            ),
            sealedSecret: "gk1:00000000:AAAA"
        )
    }

    static func token(_ id: String) -> AccessToken {
        AccessToken(
            id: AccessToken.ID(rawValue: id), name: "ci", role: .editor, tokenHash: AccessToken.hash(id),
            prefix: "gwk_abcd", createdAt: date
        )
    }
}
