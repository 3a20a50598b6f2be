import GatewayKit
import GatewayKitPostgres
import Testing

/// Two gateways, each with its own PostgresGatewayStore on one database, as two `gateway-server`s
/// sharing PostgreSQL: changes made on either reach the other, without a restart, in milliseconds
/// on an idle machine (``eventually(within:_:sourceLocation:_:)`` says why it allows more).
@Suite struct MultiInstanceGatewayTests {
    @Test("an endpoint created on one instance is served by the other; edits and deletes follow")
    func endpointChangesReachTheOtherInstance() async throws {
        try await TestDatabase.with { database in
            try await withGatewayInstance(on: database) { a in
                try await withGatewayInstance(on: database) { b in
                    try await a.endpoints.create(
                        .init(name: "Shared", slug: "shared", model: "mock/fixed:one"), by: .admin)
                    try await eventually("created on A, callable on B") { await b.answer("shared").text == "one" }

                    try await b.endpoints.update("shared", by: .admin) { $0.model = "mock/fixed:two" }
                    try await eventually("edited on B, used by A") { await a.answer("shared").text == "two" }

                    try await a.endpoints.delete("shared", by: .admin)
                    try await eventually("deleted on A, gone on B") { await b.answer("shared").errorCode == .notFound }
                    #expect(b.endpoints.list(by: .admin).isEmpty)
                }
            }
        }
    }

    @Test("a key rotated on one instance is used by the other's requests")
    func keyRotationReachesTheOtherInstance() async throws {
        try await TestDatabase.with { database in
            try await withGatewayInstance(on: database) { a in
                try await withGatewayInstance(on: database) { b in
                    let key = try await a.keys.create(
                        .init(name: "Upstream", provider: GatewayFixture.labelled, secret: "sk-test-first-0001"),
                        by: .admin)
                    try await a.endpoints.create(
                        .init(name: "Keyed", slug: "keyed", model: "labelled/model", apiKeyID: key.id), by: .admin)
                    try await eventually("key and endpoint reach B") { await b.answer("keyed").text == "first" }

                    try await b.keys.update(key.id, .init(secret: "sk-test-second-0002"), by: .admin)
                    #expect(await b.answer("keyed").text == "second")
                    try await eventually("rotated on B, used by A") { await a.answer("keyed").text == "second" }
                    #expect(try a.keys.get(key.id, by: .admin).version == 2)
                }
            }
        }
    }

    @Test("a guardrail rule created, edited and deleted on one instance is counted by the other")
    func guardrailChangesReachTheOtherInstance() async throws {
        try await TestDatabase.with { database in
            try await withGatewayInstance(on: database) { a in
                try await withGatewayInstance(on: database) { b in
                    try await a.endpoints.create(
                        .init(name: "Guarded", slug: "guarded", model: "mock/fixed:one"), by: .admin)
                    let rule = try await a.guardrails.create(
                        .init(name: "No secrets", kind: .secrets, stage: .input, action: .block), by: .admin)
                    try await eventually("created on A, counted on B") {
                        (try? b.endpoints.get("guarded", by: .admin).activeGuardrails) == 1
                    }
                    try await b.guardrails.update(rule.id, by: .admin) { $0.active = false }
                    // The rule itself, inactive: a count of 0 would also pass with no rule at all.
                    try await eventually("deactivated on B, inactive on A") {
                        (try? a.guardrails.get(rule.id, by: .admin).active) == false
                    }
                    #expect(try a.guardrails.status(by: .admin).active == 0)
                    try await a.guardrails.delete(rule.id, by: .admin)
                    try await eventually("deleted on A, gone on B") { (try? b.guardrails.list(by: .admin).isEmpty) == true }
                }
            }
        }
    }

    @Test("a change made while an instance's feed is cut reaches it once the feed reconnects")
    func changeWhileFeedIsDown() async throws {
        try await TestDatabase.with { database in
            try await withGatewayInstance(on: database) { a in
                try await withGatewayInstance(on: database) { b in
                    let killed = try await database.terminateListeners()
                    #expect(killed == 2)
                    // Most likely sent while B listens nowhere: B learns of it from the full reload
                    // its feed asks for on reconnecting.
                    try await a.endpoints.create(
                        .init(name: "Missed", slug: "missed", model: "mock/fixed:seen"), by: .admin)
                    try await eventually(within: .seconds(8), "the change reaches B") {
                        await b.answer("missed").text == "seen"
                    }
                }
            }
        }
    }

    @Test("20 clients for 10 s see no failed request while both instances edit endpoints, splits and keys")
    func steadyTrafficDuringChanges() async throws {
        try await TestDatabase.with { database in
            try await withGatewayInstance(on: database) { a in
                try await withGatewayInstance(on: database) { b in
                    let key = try await Self.createRoutes(on: a)
                    try await eventually("setup reaches B") { await b.answer("keyed").text == "first" }

                    let traffic = TrafficGenerator(gateways: [a, b], routes: Self.routes, clients: 20)
                    let clock = ContinuousClock()
                    let end = clock.now.advanced(by: .seconds(10))
                    var round = 0
                    while clock.now < end {
                        round += 1
                        let editor = round % 2 == 0 ? a : b
                        try await Self.change(round, on: editor, key: key)
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    let (succeeded, failures) = await traffic.stop()
                    #expect(failures.isEmpty, "\(failures.count) failed requests, first: \(failures.prefix(5))")
                    #expect(succeeded > 500, "only \(succeeded) requests in 10 s")
                    #expect(round > 50, "only \(round) rounds of changes in 10 s")
                    // Both instances end on the same configuration.
                    try await eventually("instances agree") {
                        a.endpoints.list(by: .admin).map(\.endpoint) == b.endpoints.list(by: .admin).map(\.endpoint)
                    }
                }
            }
        }
    }

    @Test("a gateway whose master key opens no stored secret fails to start and names the keys")
    func unopenableSecretsAreNamed() async throws {
        try await TestDatabase.with { database in
            _ = try await withGatewayInstance(on: database) { gateway in
                try await gateway.keys.create(
                    .init(name: "Production OpenAI", provider: .openai, secret: "sk-test-first-0001"), by: .admin)
            }
            let error = await #expect(throws: GatewayError.self) {
                try await withGatewayInstance(on: database, masterKey: GatewayFixture.newMasterKey) { _ in }
            }
            #expect(error?.code == .internal)
            #expect(error?.message.contains("'Production OpenAI'") == true)
            #expect(error.map { !String(reflecting: $0).contains("sk-test-first") } == true)
        }
    }

    // MARK: Fixtures

    static let routes: [TrafficGenerator.Route] = [
        .init(slug: "echo") { sent, answer in answer == sent },
        .init(slug: "fixed") { _, answer in ["a", "b"].contains(answer) },
        .init(slug: "split") { _, answer in ["x", "y", "z"].contains(answer) },
        .init(slug: "keyed") { _, answer in ["first", "second", "third"].contains(answer) },
    ]

    static func createRoutes(on gateway: Gateway) async throws -> APIKey.ID {
        let key = try await gateway.keys.create(
            .init(name: "Upstream", provider: GatewayFixture.labelled, secret: "sk-test-first-0001"), by: .admin)
        try await gateway.endpoints.create(.init(name: "Echo", slug: "echo", model: "mock/echo"), by: .admin)
        try await gateway.endpoints.create(.init(name: "Fixed", slug: "fixed", model: "mock/fixed:a"), by: .admin)
        try await gateway.endpoints.create(
            .init(
                name: "Split", slug: "split",
                targets: [.init(model: "mock/fixed:x", weight: 1), .init(model: "mock/fixed:y", weight: 1)]),
            by: .admin)
        try await gateway.endpoints.create(
            .init(name: "Keyed", slug: "keyed", model: "labelled/model", apiKeyID: key.id), by: .admin)
        return key.id
    }

    // One round of changes: each kind in turn, on alternating instances.
    static func change(_ round: Int, on gateway: Gateway, key: APIKey.ID) async throws {
        try await retryingConflicts {
            switch round % 5 {
            case 0:
                try await gateway.endpoints.update("fixed", by: .admin) {
                    $0.model = round % 10 == 0 ? "mock/fixed:a" : "mock/fixed:b"
                }
            case 1:
                try await gateway.endpoints.update("split", by: .admin) {
                    $0.targets =
                        round % 2 == 0
                        ? [.init(model: "mock/fixed:x", weight: 1), .init(model: "mock/fixed:y", weight: 3)]
                        : [.init(model: "mock/fixed:y", weight: 1), .init(model: "mock/fixed:z", weight: 1)]
                }
            case 2:
                let secrets = ["sk-test-first-0001", "sk-test-second-0002", "sk-test-third-0003"]
                try await gateway.keys.update(key, .init(secret: secrets[round % 3]), by: .admin)
            case 3:
                try await gateway.endpoints.create(
                    .init(name: "Temporary", slug: Endpoint.Slug(rawValue: "temporary-\(round)"), model: "mock/echo"),
                    by: .admin)
            default:
                try await gateway.endpoints.update("echo", by: .admin) { $0.maxTokens = 100 + round }
                if let temporary = gateway.endpoints.list(by: .admin).first(where: {
                    $0.endpoint.slug.rawValue.hasPrefix("temporary-")
                }) {
                    try await gateway.endpoints.delete(temporary.endpoint.slug, by: .admin)
                }
            }
        }
    }
}

// An edit from a snapshot the other instance's write has not reached yet is a conflict by
// design; the editor takes the newer version and tries again, as an admin client would.
func retryingConflicts(_ body: () async throws -> Void) async throws {
    for attempt in 1...20 {
        do {
            return try await body()
        } catch let error as GatewayError where error.code == .conflict || error.code == .notFound {
            if attempt == 20 { throw error }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

extension Result<String, GatewayError> {
    var text: String? { try? get() }
    var errorCode: GatewayError.Code? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
