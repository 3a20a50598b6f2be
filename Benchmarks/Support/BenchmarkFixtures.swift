import Benchmark
import Foundation
import GatewayKit

/// What the benchmark targets share: the master key, the typical chat request and response, an
/// OpenAI SSE stream of any size, and gateways on the in-memory store with mock endpoints.
public enum BenchmarkFixtures {
    /// A master key for benchmark gateways (32+ characters).
    public static let masterKey = "benchmark-master-key-0123456789abcdefghij"

    /// The metrics every in-process benchmark records.
    public static let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]

    /// The regression tolerances checked against `Thresholds/`: allocations are deterministic; time
    /// is not on a shared 2-core machine, where identical runs differ by up to 2× at p90 (and the
    /// throughput tail by 5×), so only a call 2.5× slower fails; throughput is recorded, barely checked.
    public static var thresholds: [BenchmarkMetric: BenchmarkThresholds] {
        [
            .mallocCountTotal: .init(relative: [.p90: 5], absolute: [.p90: 2]),
            .wallClock: .init(relative: [.p90: 150]),
            .throughput: .init(relative: [.p90: 90]),
        ]
    }

    /// The default configuration of the in-process benchmarks: one call per iteration.
    public static func configuration(
        maxDuration: Duration = .seconds(5), maxIterations: Int = 100_000
    ) -> Benchmark.Configuration {
        .init(
            metrics: metrics, timeUnits: .microseconds, warmupIterations: 100, maxDuration: maxDuration,
            maxIterations: maxIterations, thresholds: thresholds
        )
    }

    /// The text of the typical request's user message: a few sentences, as a chat client sends.
    public static let userText =
        "Summarise the following support ticket in two sentences and suggest a priority. "
        + "Customer reports that invoices exported as PDF since Tuesday show the wrong VAT rate for "
        + "orders shipped to Austria; the CSV export is correct. They need corrected invoices before "
        + "the end of the month and ask whether past exports are affected."

    /// A typical chat request: a system prompt, one earlier exchange and a user question.
    public static let request = ChatRequest(
        messages: [
            .system("You are a concise assistant for a customer support team. Answer in plain English."),
            .user("What does VAT stand for?"),
            .assistant("Value-added tax: a consumption tax added at each stage of production and sale."),
            .user(userText),
        ],
        maxTokens: 256,
        temperature: 0.2
    )

    /// The typical request as a client sends it to `/v1/chat/completions`.
    public static let requestJSON: [UInt8] = Array(
        #"""
        {"model":"bench","messages":[{"role":"system","content":"You are a concise assistant for a customer support team. Answer in plain English."},{"role":"user","content":"What does VAT stand for?"},{"role":"assistant","content":"Value-added tax: a consumption tax added at each stage of production and sale."},{"role":"user","content":"\#(userText)"}],"temperature":0.2,"max_tokens":256}
        """#.utf8)

    /// The answer's text in the typical response.
    public static let answerText =
        "The customer's PDF invoices for Austrian orders have shown the wrong VAT rate since Tuesday, "
        + "while CSV exports are correct, and corrected invoices are needed before month end. "
        + "Priority: high, because it affects legal invoices and has a deadline."

    /// A typical `chat.completion` body as OpenAI sends it.
    public static let responseJSON: [UInt8] = Array(
        #"""
        {"id":"chatcmpl-9xKq2bench","object":"chat.completion","created":1732147200,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"\#(answerText)","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":118,"completion_tokens":52,"total_tokens":170},"system_fingerprint":"fp_bench"}
        """#.utf8)

    /// One `chat.completion.chunk` event carrying `text`.
    public static func chunkEvent(_ text: String) -> String {
        #"data: {"id":"chatcmpl-9xKq2bench","object":"chat.completion.chunk","created":1732147200,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":{"content":"\#(text)"},"logprobs":null,"finish_reason":null}]}"#
            + "\n\n"
    }

    /// An OpenAI stream of at least `bytes` bytes: a role chunk, word chunks, the finish chunk, the
    /// usage chunk and `[DONE]`.
    public static func openAIStream(atLeast bytes: Int) -> [UInt8] {
        var out =
            #"data: {"id":"chatcmpl-9xKq2bench","object":"chat.completion.chunk","created":1732147200,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#
            + "\n\n"
        let words = answerText.split(separator: " ").map { String($0) + " " }
        var index = 0
        while out.utf8.count < bytes {
            out += chunkEvent(words[index % words.count])
            index += 1
        }
        out +=
            #"data: {"id":"chatcmpl-9xKq2bench","object":"chat.completion.chunk","created":1732147200,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#
            + "\n\n"
        out +=
            #"data: {"id":"chatcmpl-9xKq2bench","object":"chat.completion.chunk","created":1732147200,"model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{"prompt_tokens":118,"completion_tokens":\#(index),"total_tokens":\#(118 + index)}}"#
            + "\n\n"
        out += "data: [DONE]\n\n"
        return Array(out.utf8)
    }

    /// A gateway on the in-memory store and limiter, with `endpoints` mock endpoints named
    /// `bench-0` … answering a fixed text (no rate limit, no fallbacks).
    public static func mockGateway(endpoints: Int = 1, usage: UsageAccounting = .init()) async throws -> Gateway {
        let gateway = try await Gateway(
            store: InMemoryGatewayStore(), masterKey: masterKey, configuration: .init(usage: usage))
        for index in 0..<endpoints {
            try await gateway.endpoints.create(
                .init(name: "bench \(index)", slug: .init(rawValue: "bench-\(index)"), model: "mock/fixed:\(answerText)"),
                by: .admin
            )
        }
        return gateway
    }
}

/// A usage sink that keeps nothing: what the router pays for usage accounting, without a database.
public struct DiscardingUsageSink: UsageSink {
    /// Creates the sink.
    public init() {}

    /// Drops the records.
    public func record(_ records: [UsageRecord]) async throws {}
}
