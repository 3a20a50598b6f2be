import Benchmark
import BenchmarkFixtures
import Foundation
@_spi(Benchmarks) import GatewayKit
import NIOCore

// The JSON work of one proxied chat call, on a typical request (system prompt, one earlier
// exchange, a question; ~0.8 KB) and response (~0.6 KB): what the HTTP layer decodes and encodes,
// and what the OpenAI adapter encodes for and decodes from the provider.

let requestData = Data(BenchmarkFixtures.requestJSON)
let responseBody = ByteBuffer(bytes: BenchmarkFixtures.responseJSON)
let adapter = OpenAICompatibleAdapter(provider: .openai)
let call = ProviderCall(
    model: ModelRef(provider: .openai, name: "gpt-4o-mini"),
    apiKey: APIKey(
        id: "key-bench", name: "bench", provider: .openai, settings: .init(baseURL: "http://127.0.0.1:9/v1"),
        masked: "sk-…6789", version: 1, createdAt: Date(timeIntervalSince1970: 0)
    ),
    secret: Secret("sk-bench-0123456789"), stream: false
)

let chunk = ChatChunk(
    id: "chatcmpl-9xKq2bench", created: 1_732_147_200, model: "gpt-4o-mini-2024-07-18",
    choices: [ChatChunk.Choice(delta: ChatChunk.Delta(content: " invoices"))]
)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkFixtures.configuration()
    let response = try? JSONDecoder().decode(ChatResponse.self, from: Data(BenchmarkFixtures.responseJSON))

    Benchmark("decode chat request (HTTP layer)") { benchmark in
        blackHole(try JSONDecoder().decode(ChatRequest.self, from: requestData))
    }

    // What the HTTP layer does since issue #6: JSONWriter straight into a ByteBuffer.
    Benchmark("encode chat response (HTTP layer, sorted keys)") { benchmark in
        guard let response else { fatalError("the fixture response does not decode") }
        blackHole(try response.writtenJSONByteCount())
    }

    // The same bytes through JSONEncoder, as the HTTP layer wrote them before.
    Benchmark("encode chat response (JSONEncoder, sorted keys)") { benchmark in
        guard let response else { fatalError("the fixture response does not decode") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        blackHole(try encoder.encode(response))
    }

    // One token's chunk of a stream, sent as an SSE event per token.
    Benchmark("encode chat chunk (HTTP layer, sorted keys)") { benchmark in
        blackHole(try chunk.writtenJSONByteCount())
    }

    Benchmark("encode chat chunk (JSONEncoder, sorted keys)") { benchmark in
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        blackHole(try encoder.encode(chunk))
    }

    Benchmark("OpenAI adapter makeRequest (encode for the provider)") { benchmark in
        blackHole(try adapter.makeRequest(BenchmarkFixtures.request, for: call))
    }

    Benchmark("OpenAI adapter parseResponse (decode the provider's answer)") { benchmark in
        blackHole(try adapter.parseResponse(UpstreamResponse(status: 200, body: responseBody), for: call))
    }
}
