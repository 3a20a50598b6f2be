import HTTPTypes
import GatewayKit
import Testing

@Suite struct RoleTests {
    @Test("admin may do everything")
    func admin() {
        for permission in Permission.allCases { #expect(Role.admin.may(permission)) }
    }

    @Test("editor writes endpoints and guardrails but manages no keys or tokens")
    func editor() {
        #expect(Role.editor.may(.writeEndpoints))
        #expect(Role.editor.may(.writeGuardrails))
        #expect(!Role.editor.may(.manageKeys))
        #expect(!Role.editor.may(.manageTokens))
        #expect(!Role.editor.may(.readUsage))
    }

    @Test("reviewer and auditor only read; the auditor also reads usage")
    func readers() {
        for role in [Role.reviewer, .auditor] {
            #expect(role.may(.readEndpoints))
            #expect(role.may(.readGuardrails))
            #expect(!role.may(.writeEndpoints))
            #expect(!role.may(.manageKeys))
        }
        #expect(Role.auditor.may(.readUsage))
        #expect(!Role.reviewer.may(.readUsage))
    }

    @Test("parses role names and rejects unknown ones naming the field")
    func parsing() throws {
        #expect(try Role(parsing: "Editor") == .editor)
        let error = #expect(throws: GatewayError.self) { try Role(parsing: "owner", field: "allowed_roles") }
        #expect(error?.code == .invalidRequest)
        #expect(error?.field == "allowed_roles")
        #expect(error?.message.contains("owner") == true)
    }

    @Test("a forbidden action names the role")
    func forbidden() {
        let error = #expect(throws: GatewayError.self) { try Caller(role: .reviewer).require(.manageKeys) }
        #expect(error?.code == .forbidden)
        #expect(error?.httpStatus.code == 403)
    }
}
