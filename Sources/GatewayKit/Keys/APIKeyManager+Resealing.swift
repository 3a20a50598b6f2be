extension APIKeyManager {
    /// Re-seals every stored API-key secret under the gateway's current master key, online.
    ///
    /// Requests keep being served throughout: the router uses the secrets already opened in
    /// memory, and only their stored, sealed form changes. Each key is written with its version
    /// bumped, so an edit racing with the re-sealing is never lost (the key is read again and
    /// re-sealed after it).
    ///
    /// Rotating the master key of several instances sharing a store, without a failed request:
    /// 1. Give every instance the new master key as a *previous* key (`previousMasterKeys`),
    ///    restarting them one by one, so each can open what any other seals.
    /// 2. Make the new key current and the old one previous on every instance, one by one.
    /// 3. Call `resealAll(by:)` on one instance.
    /// 4. When ``keysSealedUnderOldMasterKeys(by:)`` is empty, drop the old key from every instance.
    ///
    /// - Parameter caller: who asks; must be an Admin.
    /// - Returns: how many keys were re-sealed; keys already under the current key are left alone.
    /// - Throws: `GatewayError` `forbidden`; `internal` naming keys sealed under a master key this
    ///   gateway does not hold (every other key is re-sealed first); `conflict` when keys keep
    ///   changing during five passes; `storageUnavailable`.
    @discardableResult
    public func resealAll(by caller: Caller) async throws -> Int {
        try caller.require(.manageKeys)
        return try await writer.resealAll()
    }

    /// The keys whose stored secret is still sealed under a master key other than the current
    /// one, read from the store. When it is empty, older master keys can be dropped safely.
    /// - Parameter caller: who asks; must be an Admin.
    /// - Returns: the keys' ids, sorted.
    /// - Throws: `GatewayError` `forbidden`; `storageUnavailable`.
    public func keysSealedUnderOldMasterKeys(by caller: Caller) async throws -> [APIKey.ID] {
        try caller.require(.manageKeys)
        return try await writer.keysSealedUnderOldMasterKeys()
    }
}
