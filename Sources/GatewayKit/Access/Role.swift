/// A caller's role. Each access token has exactly one.
///
/// - Admin: everything, including API keys and access tokens.
/// - Editor: create, edit and delete endpoints and guardrail rules.
/// - Reviewer and Auditor: read; Auditor also reads usage.
///
/// Any role may call an endpoint whose ``Endpoint/allowedRoles`` holds it.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    case admin
    case reviewer
    case editor
    case auditor

    /// Parses a role name, case-insensitively.
    /// - Throws: `GatewayError` `invalidRequest` naming `field` and the four valid roles.
    public init(parsing text: String, field: String = "role") throws(GatewayError) {
        guard let role = Role(rawValue: text.lowercased()) else {
            throw GatewayError.invalid(
                field, "unknown role '\(text)': use one of admin, reviewer, editor, auditor"
            )
        }
        self = role
    }

    /// Whether this role may perform `permission`.
    public func may(_ permission: Permission) -> Bool {
        switch permission {
        case .readEndpoints, .readGuardrails: true
        case .writeEndpoints, .writeGuardrails: self == .admin || self == .editor
        case .manageKeys, .manageTokens: self == .admin
        case .readUsage: self == .admin || self == .auditor
        }
    }

    public var description: String { rawValue }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        lhs.sortIndex < rhs.sortIndex
    }

    private var sortIndex: Int {
        switch self {
        case .admin: 0
        case .editor: 1
        case .reviewer: 2
        case .auditor: 3
        }
    }
}

/// Something a role may or may not do through the management API.
public enum Permission: String, Sendable, Hashable, CaseIterable {
    /// List and read endpoints (filtered by each endpoint's allowed roles).
    case readEndpoints
    /// Create, edit and delete endpoints.
    case writeEndpoints
    /// Read guardrail rules.
    case readGuardrails
    /// Create, edit and delete guardrail rules.
    case writeGuardrails
    /// Create, list, rotate and delete upstream API keys.
    case manageKeys
    /// Create, list and delete caller access tokens.
    case manageTokens
    /// Read usage and cost.
    case readUsage
}
