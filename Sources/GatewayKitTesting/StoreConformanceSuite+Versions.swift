import GatewayKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension StoreConformanceSuite.Check {
    /// How many tasks race to update one endpoint.
    static let racingWriters = 16

    /// Optimistic versions, missing records and concurrent edits.
    static var versions: [Self] {
        [
            Self("updating an endpoint with its stored version stores the new version") { store, fixtures in
                let original = fixtures.fullEndpoint()
                try await store.insertEndpoint(original)
                var edited = original
                edited.name = "Edited"
                edited.targets.removeLast()
                edited.fallbacks.reverse()
                edited.version = original.version + 1
                edited.updatedAt = edited.updatedAt.addingTimeInterval(60)
                try await store.updateEndpoint(edited, expectedVersion: original.version)
                try await requireStored(edited, in: store, "after an update with the stored version")
            },
            Self("updating an endpoint with a stale version is a conflict and changes nothing") { store, fixtures in
                let original = fixtures.fullEndpoint()
                try await store.insertEndpoint(original)
                var current = original
                current.version += 1
                current.name = "First edit"
                try await store.updateEndpoint(current, expectedVersion: original.version)
                var stale = original
                stale.version += 1
                stale.name = "Edit of an old copy"
                try await requireError(
                    .conflict, "updating endpoint '\(original.slug)' with stale version \(original.version)"
                ) {
                    try await store.updateEndpoint(stale, expectedVersion: original.version)
                }
                try await requireStored(current, in: store, "after a rejected stale update")
            },
            Self("updating an API key checks its version") { store, fixtures in
                let original = fixtures.fullKey()
                try await store.insertAPIKey(original)
                var edited = original
                edited.key.name = "Rotated"
                edited.sealedSecret = "gk1:0badf00d:cm90YXRlZA=="
                edited.key.masked = "sk-…wxyz"
                edited.key.settings = .init(baseURL: "http://localhost:11434/v1")
                edited.key.version = original.key.version + 1
                try await store.updateAPIKey(edited, expectedVersion: original.key.version)
                try await requireStored(edited, in: store, "after an update with the stored version")
                var stale = original
                stale.key.name = "Edit of an old copy"
                stale.key.version = original.key.version + 1
                try await requireError(.conflict, "updating API key '\(original.key.id)' with a stale version") {
                    try await store.updateAPIKey(stale, expectedVersion: original.key.version)
                }
                try await requireStored(edited, in: store, "after a rejected stale update")
            },
            Self("updating or deleting a missing record is notFound") { store, fixtures in
                let endpoint = fixtures.minimalEndpoint("missing")
                let key = fixtures.minimalKey("missing")
                try await requireError(.notFound, "updating a missing endpoint") {
                    try await store.updateEndpoint(endpoint, expectedVersion: 1)
                }
                try await requireError(.notFound, "deleting a missing endpoint") {
                    try await store.deleteEndpoint(endpoint.slug, expectedVersion: nil)
                }
                try await requireError(.notFound, "deleting a missing endpoint with a version") {
                    try await store.deleteEndpoint(endpoint.slug, expectedVersion: 1)
                }
                try await requireError(.notFound, "updating a missing API key") {
                    try await store.updateAPIKey(key, expectedVersion: 1)
                }
                try await requireError(.notFound, "deleting a missing API key") {
                    try await store.deleteAPIKey(key.key.id)
                }
                try await requireError(.notFound, "deleting a missing access token") {
                    try await store.deleteAccessToken(fixtures.tokenID("missing"))
                }
                let contents = try await store.load()
                try require(contents.endpoint(endpoint.slug) == nil, "updating a missing endpoint created it")
                try require(contents.apiKey(key.key.id) == nil, "updating a missing API key created it")
            },
            Self("deleting an endpoint checks the expected version") { store, fixtures in
                let endpoint = fixtures.fullEndpoint()
                try await store.insertEndpoint(endpoint)
                try await requireError(.conflict, "deleting endpoint '\(endpoint.slug)' with a stale version") {
                    try await store.deleteEndpoint(endpoint.slug, expectedVersion: endpoint.version - 1)
                }
                try await requireStored(endpoint, in: store, "after a rejected stale delete")
                try await store.deleteEndpoint(endpoint.slug, expectedVersion: endpoint.version)
                let contents = try await store.load()
                try require(
                    contents.endpoint(endpoint.slug) == nil, "endpoint is still stored after a delete with its version")
            },
            Self("concurrent updates of one version: exactly one wins, no lost update") { store, fixtures in
                try await raceUpdates(store, fixtures)
            },
        ]
    }

    private enum Outcome: Sendable {
        case won(String)
        case conflict
        case failed(String)
    }

    private static func raceUpdates(_ store: any GatewayStore, _ fixtures: StoreConformanceSuite.Fixtures) async throws
    {
        let original = fixtures.minimalEndpoint("race")
        try await store.insertEndpoint(original)
        let outcomes = await withTaskGroup(of: Outcome.self) { group in
            for writer in 0..<racingWriters {
                group.addTask {
                    var edit = original
                    edit.name = "writer \(writer)"
                    edit.version = original.version + 1
                    do {
                        try await store.updateEndpoint(edit, expectedVersion: original.version)
                        return .won(edit.name)
                    } catch let error as GatewayError where error.code == .conflict {
                        return .conflict
                    } catch {
                        return .failed(String(reflecting: error))
                    }
                }
            }
            return await group.reduce(into: [Outcome]()) { $0.append($1) }
        }
        var winners: [String] = []
        var conflicts = 0
        for outcome in outcomes {
            switch outcome {
            case .won(let name): winners.append(name)
            case .conflict: conflicts += 1
            case .failed(let error):
                throw Mismatch("a racing update failed with something other than conflict: \(error)")
            }
        }
        try require(
            winners.count == 1 && conflicts == racingWriters - 1,
            "\(racingWriters) updates all expecting version \(original.version): \(winners.count) succeeded and "
                + "\(conflicts) were conflicts; expected exactly one success"
        )
        var expected = original
        expected.name = winners[0]
        expected.version = original.version + 1
        try await requireStored(expected, in: store, "after racing updates (the stored record must be the winner's)")
    }
}
