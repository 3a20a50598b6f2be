import Foundation
import GatewayKit
import GatewayKitHTTP
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct GatewayRoutesResealTests {
    @Test("POST /api/keys/reseal seals every secret under the new master key and reports none left; Admin only")
    func resealsUnderTheNewMasterKey() async throws {
        let store = InMemoryGatewayStore()
        let old = try await Gateway(store: store, masterKey: testMasterKey)
        let key = try await old.keys.create(
            .init(name: "Local", provider: .ollama, secret: "sealed-under-the-old-key-42"), by: .admin)
        try await old.tokens.seed(name: "admin", role: .admin, token: Secret(Role.admin.testToken))
        try await old.tokens.seed(name: "editor", role: .editor, token: Secret(Role.editor.testToken))

        let newMasterKey = "the-new-master-key-0123456789abcdefghij"
        let rotated = try await Gateway(store: store, masterKey: newMasterKey, previousMasterKeys: [testMasterKey])
        #expect(try await rotated.keys.keysSealedUnderOldMasterKeys(by: .admin) == [key.id])
        try await withLiveServer(rotated) { client in
            let refused = try await client.call(.post, "/api/keys/reseal", as: .editor)
            #expect(refused.status == .forbidden, "\(refused.text)")

            let response = try await client.call(.post, "/api/keys/reseal")
            #expect(response.status == .ok, "\(response.text)")
            let body = try response.object()
            #expect(body["resealed"] as? Int == 1)
            #expect((body["remaining"] as? [String])?.isEmpty == true)
            #expect(!response.text.contains("sealed-under-the-old-key-42"))
        }
        // The old key is retired: the new master key alone opens the store.
        let retired = try await Gateway(store: store, masterKey: newMasterKey)
        #expect(try retired.keys.list(by: .admin).map(\.id) == [key.id])
        await #expect(throws: GatewayError.self) { try await Gateway(store: store, masterKey: testMasterKey) }
    }
}
