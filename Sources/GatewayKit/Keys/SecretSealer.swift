#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto

/// Seals API-key secrets with AES-GCM under keys derived from master keys (HKDF-SHA256).
///
/// A sealed secret reads `gk1:<key id>:<base64 nonce+ciphertext+tag>`; the key id is a fingerprint
/// of the master key, so a sealer that holds several master keys opens secrets sealed under any of
/// them and seals new ones under its current key.
public struct SecretSealer: Sendable {
    /// The smallest master key accepted, in characters.
    public static let minimumMasterKeyLength = 32

    private let current: String
    private let keys: [String: SymmetricKey]

    /// Creates a sealer from one master key.
    /// - Parameter masterKey: any secret string of at least 32 characters.
    /// - Throws: `GatewayError` `invalidRequest` when the master key is too short.
    public init(masterKey: Secret) throws(GatewayError) {
        try self.init(current: masterKey, previous: [])
    }

    /// Creates a sealer that seals under `current` and still opens secrets sealed under `previous`.
    /// - Parameters:
    ///   - current: the master key new secrets are sealed with.
    ///   - previous: older master keys, kept only to open existing secrets during a rotation.
    /// - Throws: `GatewayError` `invalidRequest` when a master key is too short.
    public init(current: Secret, previous: [Secret]) throws(GatewayError) {
        var keys: [String: SymmetricKey] = [:]
        var currentID = ""
        for (index, master) in ([current] + previous).enumerated() {
            guard master.reveal().count >= Self.minimumMasterKeyLength else {
                throw GatewayError.invalid(
                    "master_key",
                    "the master key must be at least \(Self.minimumMasterKeyLength) characters; "
                        + "make one with `openssl rand -base64 32`"
                )
            }
            let (id, key) = Self.derive(master)
            keys[id] = key
            if index == 0 { currentID = id }
        }
        self.current = currentID
        self.keys = keys
    }

    /// The id of the master key new secrets are sealed with.
    public var currentKeyID: String { current }

    /// Seals a secret under the current master key.
    /// - Throws: `GatewayError` `internal` if encryption fails.
    public func seal(_ secret: Secret) throws(GatewayError) -> String {
        guard let key = keys[current] else { throw GatewayError(.internal, "no sealing key") }
        do {
            let box = try AES.GCM.seal(Array(secret.reveal().utf8), using: key)
            guard let combined = box.combined else { throw GatewayError(.internal, "sealing failed") }
            return "gk1:\(current):\(combined.base64EncodedString())"
        } catch {
            throw GatewayError.wrapping(error, "sealing a secret failed")
        }
    }

    /// Opens a sealed secret.
    /// - Throws: `GatewayError` `internal` when the text is not a sealed secret, was sealed under a
    ///   master key this sealer does not hold, or was tampered with.
    public func open(_ sealed: String) throws(GatewayError) -> Secret {
        let parts = sealed.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "gk1", let data = Data(base64Encoded: String(parts[2])) else {
            throw GatewayError(.internal, "a stored secret is not in the sealed format")
        }
        guard let key = keys[String(parts[1])] else {
            throw GatewayError(.internal, "a stored secret was sealed under master key \(parts[1]), which is not configured")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            let plain = try AES.GCM.open(box, using: key)
            return Secret(String(decoding: plain, as: UTF8.self))
        } catch {
            throw GatewayError(.internal, "a stored secret could not be opened: wrong master key or corrupted data")
        }
    }

    /// The id of the master key `sealed` was sealed under, or `nil` if it is not a sealed secret.
    public static func keyID(of sealed: String) -> String? {
        let parts = sealed.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "gk1" else { return nil }
        return String(parts[1])
    }

    private static func derive(_ master: Secret) -> (String, SymmetricKey) {
        let input = SymmetricKey(data: Array(master.reveal().utf8))
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: input, salt: Array("GatewayKit".utf8), info: Array("secret-sealing v1".utf8),
            outputByteCount: 32
        )
        let fingerprint = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: input, salt: Array("GatewayKit".utf8), info: Array("key id v1".utf8),
            outputByteCount: 4
        )
        let id = fingerprint.withUnsafeBytes { Array($0) }.hexString
        return (id, key)
    }
}
