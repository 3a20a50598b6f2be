/// Who is making a call: a role, and the access token that proved it when there is one.
public struct Caller: Sendable, Hashable, CustomStringConvertible {
    /// The caller's role.
    public var role: Role
    /// The access token the caller authenticated with; `nil` for in-process callers.
    public var tokenID: AccessToken.ID?

    /// Creates a caller.
    /// - Parameters:
    ///   - role: the role the caller acts as.
    ///   - tokenID: the access token that authenticated it, if any.
    public init(role: Role, tokenID: AccessToken.ID? = nil) {
        self.role = role
        self.tokenID = tokenID
    }

    /// An in-process administrator.
    public static let admin = Caller(role: .admin)

    /// Throws `forbidden` unless the caller's role has `permission`.
    /// - Throws: `GatewayError` `forbidden` naming the role and what it tried.
    public func require(_ permission: Permission) throws(GatewayError) {
        guard role.may(permission) else {
            throw GatewayError(.forbidden, "the \(role) role may not \(permission.phrase)")
        }
    }

    public var description: String {
        if let tokenID { return "Caller(\(role), token: \(tokenID))" }
        return "Caller(\(role))"
    }
}

extension Permission {
    var phrase: String {
        switch self {
        case .readEndpoints: "read endpoints"
        case .writeEndpoints: "create, edit or delete endpoints"
        case .readGuardrails: "read guardrail rules"
        case .writeGuardrails: "create, edit or delete guardrail rules"
        case .manageKeys: "manage API keys"
        case .manageTokens: "manage access tokens"
        case .readUsage: "read usage"
        }
    }
}
