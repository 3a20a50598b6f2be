import GatewayKit
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct SecretTests {
    let raw = "sk-proj-VERYSECRETVALUE-abcd"

    @Test("never prints its value")
    func redaction() throws {
        let secret = Secret(raw)
        #expect(!"\(secret)".contains("VERYSECRET"))
        #expect(!String(describing: secret).contains("VERYSECRET"))
        #expect(!String(reflecting: secret).contains("VERYSECRET"))
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("VERYSECRET"))
        let json = String(decoding: try JSONEncoder().encode(["k": secret]), as: UTF8.self)
        #expect(!json.contains("VERYSECRET"))
        #expect(secret.reveal() == raw)
    }

    @Test("masks as prefix, ellipsis and last four")
    func masking() {
        #expect(Secret(raw).masked == "sk-…abcd")
        #expect(Secret("AKIAIOSFODNN7EXAMPLE").masked == "AKI…MPLE")
        #expect(Secret("short").masked == "…")
    }

    @Test("seals and opens; the sealed text does not contain the secret")
    func sealing() throws {
        let sealer = try SecretSealer(masterKey: Secret(String(repeating: "m", count: 32)))
        let sealed = try sealer.seal(Secret(raw))
        #expect(!sealed.contains("VERYSECRET"))
        #expect(try sealer.open(sealed).reveal() == raw)
        #expect(try sealer.seal(Secret(raw)) != sealed, "a fresh nonce every time")
    }

    @Test("a different master key cannot open a secret; an older one still can during rotation")
    func rotation() throws {
        let old = Secret(String(repeating: "o", count: 32))
        let new = Secret(String(repeating: "n", count: 32))
        let sealed = try SecretSealer(masterKey: old).seal(Secret(raw))
        #expect(throws: GatewayError.self) { try SecretSealer(masterKey: new).open(sealed) }
        let rotating = try SecretSealer(current: new, previous: [old])
        #expect(try rotating.open(sealed).reveal() == raw)
        #expect(SecretSealer.keyID(of: try rotating.seal(Secret(raw))) == rotating.currentKeyID)
    }

    @Test("rejects a master key shorter than 32 characters with a hint")
    func shortMasterKey() {
        let error = #expect(throws: GatewayError.self) { try SecretSealer(masterKey: Secret("too short")) }
        #expect(error?.message.contains("openssl rand") == true)
    }

    @Test("a tampered sealed secret fails cleanly")
    func tampering() throws {
        let sealer = try SecretSealer(masterKey: Secret(String(repeating: "m", count: 32)))
        var sealed = Array(try sealer.seal(Secret(raw)))
        sealed[sealed.count - 3] = sealed[sealed.count - 3] == "A" ? "B" : "A"
        #expect(throws: GatewayError.self) { try sealer.open(String(sealed)) }
        #expect(throws: GatewayError.self) { try sealer.open("not sealed") }
    }
}
