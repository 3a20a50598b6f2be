extension ConfigWriter {
    // How many passes resealAll makes over keys whose write lost a race with another edit.
    static let resealPasses = 5

    /// Re-seals, under the current master key, every stored secret sealed under another one.
    /// Reads the sealed form from the store (the snapshot holds only opened secrets) and writes
    /// each key back with its version bumped; a key edited meanwhile is read again and retried.
    func resealAll() async throws -> Int {
        var resealed = 0
        for _ in 0..<Self.resealPasses {
            let stale = try await store.load().apiKeys.filter {
                SecretSealer.keyID(of: $0.sealedSecret) != sealer.currentKeyID
            }
            var unopenable: [StoredAPIKey] = []
            var raced = false
            for stored in stale {
                guard let secret = try? sealer.open(stored.sealedSecret) else {
                    unopenable.append(stored)
                    continue
                }
                switch try await reseal(stored, secret: secret) {
                case .resealed: resealed += 1
                case .raced: raced = true
                case .deleted: break
                }
            }
            if !unopenable.isEmpty {
                let names = unopenable.map { "'\($0.key.name)' (\($0.key.id))" }.joined(separator: ", ")
                throw GatewayError(
                    .internal,
                    "re-sealed \(resealed) API keys, but the secrets of \(names) are sealed under a master key this "
                        + "gateway does not hold; add it as a previous master key, or set those secrets again"
                )
            }
            if !raced { return resealed }
        }
        throw GatewayError(
            .conflict, "API keys kept changing while they were re-sealed (\(resealed) done); run the re-sealing again"
        )
    }

    /// The keys whose stored secret is sealed under a master key other than the current one.
    func keysSealedUnderOldMasterKeys() async throws -> [APIKey.ID] {
        try await store.load().apiKeys
            .filter { SecretSealer.keyID(of: $0.sealedSecret) != sealer.currentKeyID }
            .map(\.key.id)
            .sorted { $0.rawValue < $1.rawValue }
    }

    private enum ResealOutcome {
        case resealed
        case raced
        case deleted
    }

    private func reseal(_ stored: StoredAPIKey, secret: Secret) async throws -> ResealOutcome {
        try await serially {
            var updated = stored
            updated.sealedSecret = try sealer.seal(secret)
            updated.key.version += 1
            do {
                try await store.updateAPIKey(updated, expectedVersion: stored.key.version)
            } catch let error as GatewayError where error.code == .conflict {
                return .raced
            } catch let error as GatewayError where error.code == .notFound {
                return .deleted
            }
            // The opened secret is unchanged, so the snapshot only needs the new version (when it
            // holds the version just replaced; otherwise a reload is on its way anyway).
            live.update { snapshot in
                if snapshot.keys[stored.key.id]?.key.version == stored.key.version {
                    snapshot.keys[stored.key.id]?.key.version = updated.key.version
                }
            }
            return .resealed
        }
    }
}
