import ArgumentParser
import GatewayExampleSupport
import GatewayKit

struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Print requests, errors, tokens, cost and p50/p95/p99 latency per endpoint or model.",
        discussion: "Dates are ISO 8601: 2026-11-21 or 2026-11-21T09:30:00Z; --from is inclusive, --to exclusive."
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Only this endpoint (slug).")
    var endpoint: String?

    @Option(help: "Only requests at or after this time.")
    var from: String?

    @Option(help: "Only requests before this time.")
    var to: String?

    @Option(help: "Group by 'endpoint' (default) or 'model'.")
    var by: String = "endpoint"

    func run() async throws {
        try await storeOptions.withGateway { gateway in
            guard let grouping = UsageQuery.Grouping(rawValue: by) else {
                throw GatewayError(.invalidRequest, "--by must be 'endpoint' or 'model', not '\(by)'", field: "by")
            }
            let query = UsageQuery(
                endpoint: endpoint.map { Endpoint.Slug(rawValue: $0) },
                from: try from.map { try UsageQuery.date(parsing: $0, field: "--from") },
                to: try to.map { try UsageQuery.date(parsing: $0, field: "--to") }, groupBy: grouping
            )
            let summaries = try await gateway.usage.summary(query, by: .admin)
            Console.out(Self.table(summaries, grouping: grouping).render())
        }
    }

    static func table(_ summaries: [UsageSummary], grouping: UsageQuery.Grouping) -> Table {
        var table = Table(headers: [
            grouping == .endpoint ? "ENDPOINT" : "MODEL", "REQUESTS", "ERRORS", "PROMPT", "COMPLETION", "COST $",
            "UNPRICED", "P50 MS", "P95 MS", "P99 MS",
        ])
        for summary in summaries {
            table.rows.append([
                summary.key.isEmpty ? "-" : summary.key, "\(summary.requests)", "\(summary.errors)",
                "\(summary.promptTokens)", "\(summary.completionTokens)", "\(summary.costUSD)",
                "\(summary.unpricedRequests)", milliseconds(summary.p50), milliseconds(summary.p95),
                milliseconds(summary.p99),
            ])
        }
        return table
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let fraction = microseconds % 1_000
        let padded = String(repeating: "0", count: 3 - "\(fraction)".count) + "\(fraction)"
        return "\(microseconds / 1_000).\(padded)"
    }
}
