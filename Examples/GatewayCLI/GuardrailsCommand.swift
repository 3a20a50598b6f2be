import ArgumentParser
import GatewayExampleSupport
import GatewayKit

struct GuardrailsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guardrails", abstract: "List, create and delete guardrail rules, and count the active ones.",
        subcommands: [List.self, Create.self, Delete.self, Status.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the rules in the order they run.")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await options.withGateway { gateway in
                let rules = try gateway.guardrails.list(by: .admin)
                guard !rules.isEmpty else { return Console.out("no guardrail rules") }
                var table = Table(
                    headers: ["ID", "NAME", "KIND", "STAGE", "ACTION", "ENDPOINTS", "ORDER", "ACTIVE", "VERSION"])
                for rule in rules {
                    let endpoints =
                        switch rule.scope {
                        case .everyEndpoint: "all"
                        case .endpoints(let slugs): slugs.map(\.rawValue).joined(separator: ",")
                        }
                    table.rows.append([
                        rule.id.rawValue, rule.name, rule.kind.name, rule.stage.rawValue, rule.action.rawValue,
                        endpoints, String(rule.order), rule.active ? "yes" : "no", String(rule.version),
                    ])
                }
                Console.out(table.render())
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a rule; prints its id.",
            discussion: """
                Kinds and their settings: blocked_terms (--term, repeat), regex (--pattern), pii (--pii: \
                email, phone, card, iban, ip; repeat), secrets, max_input (--max-chars and/or --max-tokens), \
                llm_judge (--judge SLUG --policy TEXT).
                """
        )
        @OptionGroup var options: StoreOptions
        @Option(help: "Display name.") var name: String
        @Option(help: "blocked_terms, regex, pii, secrets, max_input or llm_judge.") var kind: String
        @Option(help: "input or output.") var stage = "input"
        @Option(help: "block or redact.") var action = "block"
        @Option(help: "An endpoint the rule covers; repeat. Default: every endpoint.") var endpoint: [String] = []
        @Option(help: "Its place among the rules; lower runs first.") var order = 0
        @Flag(help: "Create it inactive.") var inactive = false
        @Option(help: "A blocked term (blocked_terms); repeat.") var term: [String] = []
        @Option(help: "The regular expression (regex).") var pattern: String?
        @Option(help: "A kind of personal data (pii); repeat.") var pii: [String] = []
        @Option(help: "The most characters an input may have (max_input).") var maxChars: Int?
        @Option(help: "The most estimated tokens an input may have (max_input).") var maxTokens: Int?
        @Option(help: "The endpoint that judges (llm_judge).") var judge: String?
        @Option(help: "The policy the judge applies (llm_judge).") var policy: String?

        func run() async throws {
            try await options.withGateway { gateway in
                guard let stage = GuardrailRule.Stage(rawValue: stage) else {
                    throw GatewayError(.invalidRequest, "--stage must be input or output, not '\(stage)'")
                }
                guard let action = GuardrailRule.Action(rawValue: action) else {
                    throw GatewayError(.invalidRequest, "--action must be block or redact, not '\(action)'")
                }
                let draft = GuardrailRule.Draft(
                    name: name, kind: try ruleKind(), stage: stage, action: action,
                    scope: endpoint.isEmpty ? .everyEndpoint : .endpoints(endpoint.map(Endpoint.Slug.init(rawValue:))),
                    order: order, active: !inactive
                )
                let rule = try await gateway.guardrails.create(draft, by: .admin)
                Console.out(rule.id.rawValue)
            }
        }

        private func ruleKind() throws -> GuardrailRule.Kind {
            switch kind {
            case "blocked_terms": return .blockedTerms(term)
            case "regex": return .regex(pattern: pattern ?? "")
            case "pii":
                return .pii(
                    types: try pii.map { name in
                        guard let type = GuardrailRule.PIIType(rawValue: name) else {
                            throw GatewayError(
                                .invalidRequest, "--pii must be email, phone, card, iban or ip, not '\(name)'")
                        }
                        return type
                    })
            case "secrets": return .secrets
            case "max_input": return .maxInput(maxCharacters: maxChars, maxTokens: maxTokens)
            case "llm_judge": return .llmJudge(endpoint: Endpoint.Slug(rawValue: judge ?? ""), policy: policy ?? "")
            default:
                throw GatewayError(
                    .invalidRequest,
                    "--kind must be blocked_terms, regex, pii, secrets, max_input or llm_judge, not '\(kind)'")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a rule.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The rule's id.") var id: String

        func run() async throws {
            try await options.withGateway { gateway in
                try await gateway.guardrails.delete(GuardrailRule.ID(rawValue: id), by: .admin)
                Console.out("deleted \(id)")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How many rules are active, in total and for each endpoint.")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await options.withGateway { gateway in
                let status = try gateway.guardrails.status(by: .admin)
                Console.out("active rules: \(status.active)")
                guard !status.byEndpoint.isEmpty else { return }
                var table = Table(headers: ["ENDPOINT", "ACTIVE RULES"])
                for (slug, count) in status.byEndpoint.sorted(by: { $0.key < $1.key }) {
                    table.rows.append([slug.rawValue, String(count)])
                }
                Console.out(table.render())
            }
        }
    }
}
