import GatewayKit
import GatewayKitPostgres
import GatewayKitTesting
import PostgresNIO
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct PostgresGatewayStoreTests {
    @Test("the store passes the conformance suite", arguments: StoreConformanceSuite.Check.all)
    func conformance(_ check: StoreConformanceSuite.Check) async throws {
        try await TestDatabase.with { database in
            let store = try database.makeStore()
            try await store.withRunning {
                try await StoreConformanceSuite(makeStore: { store }).run(check)
            }
        }
    }

    @Test("a second instance loads what the first wrote, and a stale edit from it is a conflict")
    func staleEditAcrossInstances() async throws {
        try await TestDatabase.with { database in
            let first = try database.makeStore()
            let second = try database.makeStore()
            try await first.withRunning {
                try await second.withRunning {
                    try await first.insertEndpoint(Fixture.endpoint("shared"))
                    let seen = try #require(try await second.load().endpoints.first { $0.slug == "shared" })
                    var edit = seen
                    edit.name = "first's edit"
                    edit.version = 2
                    try await first.updateEndpoint(edit, expectedVersion: 1)

                    var stale = seen
                    stale.name = "second's edit"
                    stale.version = 2
                    let error = await #expect(throws: GatewayError.self) {
                        try await second.updateEndpoint(stale, expectedVersion: 1)
                    }
                    #expect(error?.code == .conflict)
                    #expect(try await second.load().endpoints.first?.name == "first's edit")
                    let deleteError = await #expect(throws: GatewayError.self) {
                        try await second.deleteEndpoint("shared", expectedVersion: 1)
                    }
                    #expect(deleteError?.code == .conflict)
                }
            }
        }
    }

    @Test("changes() reports another instance's writes by name, in order")
    func changesFromAnotherInstance() async throws {
        try await TestDatabase.with { database in
            let watcher = try database.makeStore()
            let writer = try database.makeStore()
            try await watcher.withRunning {
                try await writer.withRunning {
                    let changes = watcher.changes()
                    try await writer.insertEndpoint(Fixture.endpoint("from-elsewhere"))
                    try await writer.insertAPIKey(Fixture.key("key_elsewhere"))
                    try await writer.deleteEndpoint("from-elsewhere", expectedVersion: nil)
                    let seen = try await collect(3, from: changes)
                    #expect(
                        seen == [.endpoint("from-elsewhere"), .apiKey("key_elsewhere"), .endpoint("from-elsewhere")])
                }
            }
        }
    }

    @Test("a write that fails sends no change")
    func failedWriteIsSilent() async throws {
        try await TestDatabase.with { database in
            let store = try database.makeStore()
            try await store.withRunning {
                let changes = store.changes()
                try await store.insertEndpoint(Fixture.endpoint("taken"))
                await #expect(throws: GatewayError.self) { try await store.insertEndpoint(Fixture.endpoint("taken")) }
                await #expect(throws: GatewayError.self) {
                    try await store.updateEndpoint(Fixture.endpoint("taken", version: 5), expectedVersion: 4)
                }
                try await store.insertEndpoint(Fixture.endpoint("after"))
                #expect(try await collect(2, from: changes) == [.endpoint("taken"), .endpoint("after")])
            }
        }
    }

    @Test("after its listening connection is killed, the feed reconnects and reports everything")
    func listenerReconnects() async throws {
        try await TestDatabase.with { database in
            let watcher = try database.makeStore()
            let writer = try database.makeStore()
            try await watcher.withRunning {
                try await writer.withRunning {
                    let changes = watcher.changes()
                    let killed = try await database.terminateListeners()
                    // Both stores listen; both connections are cut.
                    #expect(killed == 2)
                    // Written while the watcher may not listen: its notification may be lost, so the
                    // reconnect must report `.everything` (a gateway then reloads and sees it).
                    try await writer.insertEndpoint(Fixture.endpoint("while-down"))
                    try await eventuallySeen(.everything, in: changes)

                    // Listening again: later writes are reported by name.
                    try await writer.insertEndpoint(Fixture.endpoint("after-reconnect"))
                    try await eventuallySeen(.endpoint("after-reconnect"), in: changes)
                }
            }
        }
    }

    @Test("calls on a store whose run() was never started fail with storageUnavailable naming run()")
    func notRunning() async throws {
        try await TestDatabase.with { database in
            let store = try database.makeStore(operationTimeout: .milliseconds(200))
            let error = await #expect(throws: GatewayError.self) { try await store.load() }
            #expect(error?.code == .storageUnavailable)
            #expect(error?.message.contains("run()") == true)
        }
    }

    @Test("a wrong password is storageUnavailable, with PostgreSQL's error underneath and no password shown")
    func wrongPassword() async throws {
        let serverURL = try TestDatabase.serverURL()
        var components = try #require(URLComponents(string: serverURL))
        let wrongPassword = "not-the-password-7d1c"
        components.password = wrongPassword
        let store = try PostgresGatewayStore(url: try #require(components.string))
        let error = await #expect(throws: GatewayError.self) { try await store.withRunning {} }
        #expect(error?.code == .storageUnavailable)
        #expect(error?.underlying is PSQLError)
        let realPassword = try #require(URLComponents(string: serverURL)?.password)
        for text in [error?.message ?? "", "\(String(describing: error))", String(reflecting: error)] {
            #expect(!text.contains(wrongPassword))
            #expect(!text.contains(realPassword))
        }
        // Once run() has failed, every call fails at once with the same error.
        let later = await #expect(throws: GatewayError.self) { try await store.load() }
        #expect(later?.code == .storageUnavailable)
    }

    @Test("a server that is not there is storageUnavailable at start")
    func unreachableServer() async throws {
        let store = try PostgresGatewayStore(url: "postgres://gateway:secret@127.0.0.1:1/gateway")
        let error = await #expect(throws: GatewayError.self) { try await store.withRunning {} }
        #expect(error?.code == .storageUnavailable)
        #expect(error?.underlying != nil)
    }
}

/// Reads `count` changes, failing after `timeout`.
func collect(
    _ count: Int, from changes: AsyncStream<StoreChange>, within timeout: Duration = .seconds(5)
) async throws -> [StoreChange] {
    try await withThrowingTaskGroup(of: [StoreChange]?.self) { group in
        group.addTask {
            var seen: [StoreChange] = []
            for await change in changes {
                seen.append(change)
                if seen.count == count { break }
            }
            return seen
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let seen = try await group.next() ?? nil else {
            Issue.record("fewer than \(count) changes within \(timeout)")
            throw Timeout()
        }
        return seen
    }
}

/// Waits until `changes` yields `expected`.
func eventuallySeen(
    _ expected: StoreChange, in changes: AsyncStream<StoreChange>, within timeout: Duration = .seconds(5)
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        let next = try await collect(1, from: changes, within: deadline - clock.now)
        if next == [expected] { return }
    }
    Issue.record("\(expected) was not reported within \(timeout)")
    throw Timeout()
}

/// Records with whole-second dates.
enum Fixture {
    static let date = Date(timeIntervalSince1970: 1_750_000_000)

    static func endpoint(_ slug: String, version: Int = 1) -> Endpoint {
        Endpoint(
            slug: Endpoint.Slug(rawValue: slug), name: slug,
            targets: [.init(model: ModelRef(provider: .mock, name: "echo"), apiKeyID: nil)],
            allowedRoles: [.admin], version: version, createdAt: date, updatedAt: date
        )
    }

    static func key(_ id: String) -> StoredAPIKey {
        StoredAPIKey(
            key: APIKey(
                id: APIKey.ID(rawValue: id), name: "key \(id)", provider: .openai, settings: .init(),
                masked: "sk-…abcd", version: 1, createdAt: date
            ),
            sealedSecret: "gk1:00000000:AAAA"
        )
    }
}
