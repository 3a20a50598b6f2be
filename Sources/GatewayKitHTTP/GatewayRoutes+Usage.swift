import GatewayKit
import Hummingbird

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GatewayRoutes {
    // GET /api/usage?endpoint=&from=&to=&group=endpoint|model (Admin, Auditor).
    // By endpoint: {"endpoints": [{"slug", …}]}; by model: {"models": [{"model", …}]}.
    func addUsageRoutes(to router: some RouterMethods<Context>) {
        router.get("api/usage") { request, context in
            let caller = try context.requireCaller()
            try caller.require(.readUsage)
            let query = try UsageQueryParameters.query(from: request.uri.queryParameters)
            let summaries = try await gateway.usage.summary(query, by: caller)
            let rows = summaries.map { UsageQueryParameters.encode($0, groupBy: query.groupBy) }
            let name = query.groupBy == .endpoint ? "endpoints" : "models"
            return jsonResponse(JSONValue.object([name: .array(rows)]))
        }
    }
}

/// The query string of `GET /api/usage`, and its rows.
enum UsageQueryParameters {
    static func query(from parameters: Hummingbird.Parameters) throws(GatewayError) -> UsageQuery {
        var query = UsageQuery()
        if let text = parameters.get("endpoint"), !text.isEmpty {
            query.endpoint = Endpoint.Slug(rawValue: text)
        }
        query.from = try date(parameters.get("from"), field: "from")
        query.to = try date(parameters.get("to"), field: "to")
        if let from = query.from, let to = query.to, to < from {
            throw GatewayError(.invalidRequest, "'to' (\(to)) is before 'from' (\(from))", field: "to")
        }
        if let text = parameters.get("group"), !text.isEmpty {
            guard let grouping = UsageQuery.Grouping(rawValue: text) else {
                throw GatewayError(
                    .invalidRequest, "query parameter 'group' must be 'endpoint' or 'model', not '\(text)'",
                    field: "group"
                )
            }
            query.groupBy = grouping
        }
        return query
    }

    static func date(_ text: String?, field: String) throws(GatewayError) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        return try UsageQuery.date(parsing: text, field: field)
    }

    static func encode(_ summary: UsageSummary, groupBy: UsageQuery.Grouping) -> JSONValue {
        func milliseconds(_ duration: Duration) -> JSONValue { .double(Double(duration.microseconds) / 1_000) }
        return .object([
            groupBy == .endpoint ? "slug" : "model": .string(summary.key),
            "requests": .int(summary.requests),
            "errors": .int(summary.errors),
            "prompt_tokens": .int(summary.promptTokens),
            "completion_tokens": .int(summary.completionTokens),
            "cost_usd": .double(Double(summary.costUSD.description) ?? 0),
            "unpriced_requests": .int(summary.unpricedRequests),
            "p50_ms": milliseconds(summary.p50),
            "p95_ms": milliseconds(summary.p95),
            "p99_ms": milliseconds(summary.p99),
        ])
    }
}
